package dev.tortie.dataplane.bpf;

import dev.tortie.dataplane.ApplyReport;
import dev.tortie.dataplane.Dataplane;
import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.DataplaneException;
import dev.tortie.dataplane.Names;
import dev.tortie.dataplane.RuleCounters;
import dev.tortie.dataplane.bpf.asm.AssemblyException;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetEntries;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.dataplane.bpf.polprog.Hook;
import dev.tortie.dataplane.bpf.polprog.PolicyProgram;
import dev.tortie.dataplane.bpf.polprog.PolicyProgramBuilder;
import dev.tortie.dataplane.bpf.sys.BpfException;
import dev.tortie.dataplane.bpf.sys.BpfFs;
import dev.tortie.dataplane.bpf.sys.BpfLink;
import dev.tortie.dataplane.bpf.sys.BpfProgram;
import dev.tortie.dataplane.bpf.sys.LinkInfo;
import dev.tortie.dataplane.bpf.sys.TcxAttachType;
import dev.tortie.dataplane.bpf.sys.VerifierRejectedException;
import dev.tortie.dataplane.flowlog.FlowLog;
import dev.tortie.dataplane.flowlog.RingBufferReader;
import dev.tortie.dataplane.os.Netns;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.net.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The eBPF dataplane: one policy program per workload interface and direction ({@link PolicyProgramBuilder}), attached
 * with tcx links to the host-side interface in the node's network namespace, sharing an IP-set trie, per-rule counters
 * and a connection table ({@link SharedMaps}). Everything it owns is pinned under {@link Options#pinDir()} (a
 * tortie-owned directory on a bpf filesystem), so a restarted agent adopts the maps (sets, counts, connections) and the
 * links (and recognises an attached program by its content-hash name, leaving it alone when unchanged).
 *
 * <p>An apply, in Felix's order: build every program (pure) and load the changed ones through the verifier — if any is
 * rejected nothing is touched and a {@link DataplaneException} carries the verifier's reason (the log is on its cause,
 * a {@link VerifierRejectedException}); then add new IP-set entries; replace programs atomically on existing links
 * (BPF_LINK_UPDATE) or attach new links; detach links of endpoints that are gone; last, delete IP-set entries nothing
 * uses any more. An endpoint whose interface does not exist yet is reported and attached by a later {@link
 * #reconcile()}.
 *
 * <p>Not thread-safe beyond the synchronized entry points; one instance per node.
 */
public final class BpfDataplane implements Dataplane {
    /**
     * Where and how.
     *
     * @param pinDir tortie's own directory on a bpf filesystem (created if missing; its parent must be on bpffs), e.g.
     *     {@code /sys/fs/bpf/tortie}; never a directory other software uses
     * @param nodeNetns the named network namespace holding the workload interfaces, or null for the calling thread's
     * @param sizes shared map sizes
     * @param build program build options
     */
    public record Options(Path pinDir, String nodeNetns, SharedMaps.Sizes sizes, PolicyProgramBuilder.Options build) {
        public Options {
            Objects.requireNonNull(pinDir, "pinDir == null");
            Objects.requireNonNull(sizes, "sizes == null");
            Objects.requireNonNull(build, "build == null");
        }

        public static Options of(Path pinDir, String nodeNetns) {
            return new Options(pinDir, nodeNetns, SharedMaps.Sizes.defaults(), PolicyProgramBuilder.Options.defaults());
        }

        public Options withSizes(SharedMaps.Sizes value) {
            return new Options(pinDir, nodeNetns, value, build);
        }
    }

    /** An interface and hook a program is attached at. */
    public record AttachPoint(String iface, Hook hook) implements Comparable<AttachPoint> {
        public AttachPoint {
            Objects.requireNonNull(iface, "iface == null");
            Objects.requireNonNull(hook, "hook == null");
        }

        /** The pin file name: {@code <iface>_<ingress|egress>} (bpffs refuses dots in names). */
        public String pinName() {
            return iface + "_" + hook.tcName();
        }

        @Override
        public int compareTo(AttachPoint o) {
            int c = iface.compareTo(o.iface);
            return c != 0 ? c : hook.compareTo(o.hook);
        }

        @Override
        public String toString() {
            return iface + " tc " + hook.tcName();
        }
    }

    private static final class Attachment {
        final AttachPoint point;
        BpfLink link;
        BpfProgram program;
        String programName;

        Attachment(AttachPoint point, BpfLink link, BpfProgram program, String programName) {
            this.point = point;
            this.link = link;
            this.program = program;
            this.programName = programName;
        }

        void close() {
            link.close();
            program.close();
        }
    }

    private final DataplaneConfig config;
    private final Options options;
    private final Map<AttachPoint, Attachment> attached = new TreeMap<>();
    private final Map<Long, String> idNames = new ConcurrentHashMap<>();
    private final FlowLog flowLog;
    private SharedMaps maps;
    private Set<Ipv4SetKey> setMirror;
    private NodeProgram desired;

    public BpfDataplane(DataplaneConfig config, Options options) {
        this.config = Objects.requireNonNull(config, "config == null");
        this.options = Objects.requireNonNull(options, "options == null");
        this.flowLog = FlowLog.of("bpf (ring buffer)", config.flowLogs(), Clock.systemUTC(), () -> {
            SharedMaps m = maps();
            return List.of(new RingBufferReader(m::flows, m::flowsLost, idNames::get));
        });
    }

    /**
     * The programs for {@code program}, by attach point, without touching the kernel (what {@code render bpf} prints:
     * {@link PolicyProgram#listing()}).
     */
    public static Map<AttachPoint, PolicyProgram> render(
            NodeProgram program, DataplaneConfig config, PolicyProgramBuilder.Options build) {
        build = build.withFlowEvents(build.flowEvents() && config.flowLogs().enabled());
        Map<AttachPoint, PolicyProgram> out = new TreeMap<>();
        for (LocalEndpoint e : program.endpoints()) {
            String iface = Names.workloadInterface(config.namingPrefix(), e.namespace(), e.name());
            for (Direction d : Direction.values()) {
                PolicyProgram p = PolicyProgramBuilder.build(e, d, build);
                out.put(new AttachPoint(iface, p.hook()), p);
            }
        }
        return out;
    }

    public Options options() {
        return options;
    }

    /** The directory the links are pinned in. */
    public Path linkDir() {
        return options.pinDir().resolve("links");
    }

    /** The directory the shared maps are pinned in. */
    public Path mapDir() {
        return options.pinDir().resolve("maps");
    }

    /** The shared maps (opening or creating them); for inspection and tests. */
    public synchronized SharedMaps maps() {
        adopt(new ArrayList<>());
        return maps;
    }

    /** What is attached now: attach point to program name. */
    public synchronized Map<AttachPoint, String> attachedPrograms() {
        Map<AttachPoint, String> out = new TreeMap<>();
        attached.forEach((p, a) -> out.put(p, a.programName));
        return out;
    }

    // ---------------------------------------------------------------------------------------------- apply

    @Override
    public synchronized ApplyReport apply(NodeProgram program) {
        Objects.requireNonNull(program, "program == null");
        desired = program;
        return sync(program, new ArrayList<>(), new ArrayList<>());
    }

    private ApplyReport sync(NodeProgram program, List<String> changes, List<String> warnings) {
        long start = System.nanoTime();
        Map<AttachPoint, PolicyProgram> want;
        try {
            want = render(program, config, options.build());
        } catch (AssemblyException e) {
            throw new DataplaneException("bpf: building the policy programs (" + e.getMessage() + ")", null, false, e);
        }
        for (PolicyProgram p : want.values()) {
            idNames.putAll(p.ruleIds());
        }
        for (LocalEndpoint e : program.endpoints()) {
            if (e.ips().stream().anyMatch(IpAddress::isV6)) {
                warnings.add("endpoint " + e.key() + " has IPv6 addresses: the eBPF dataplane polices IPv4 only and"
                        + " drops its IPv6 traffic");
            }
        }
        adopt(changes);

        // 1. verifier: load every changed program before touching anything
        Map<AttachPoint, BpfProgram> loaded = new LinkedHashMap<>();
        try {
            for (Map.Entry<AttachPoint, PolicyProgram> e : want.entrySet()) {
                Attachment current = attached.get(e.getKey());
                if (current != null && current.programName.equals(e.getValue().name())) {
                    continue;
                }
                loaded.put(e.getKey(), load(e.getKey(), e.getValue()));
            }
        } catch (RuntimeException e) {
            loaded.values().forEach(BpfProgram::close);
            throw e;
        }

        // 2. sets and counters before the programs that use them
        Ipv4SetEntries entries = Ipv4SetEntries.of(program);
        if (!entries.skipped().isEmpty()) {
            warnings.add(entries.skipped().size() + " IPv6 IP-set members left out (IPv4 only): "
                    + entries.skipped().subList(0, Math.min(3, entries.skipped().size())));
        }
        List<Ipv4SetKey> add = new ArrayList<>();
        for (Ipv4SetKey k : entries.keys()) {
            if (!setMirror.contains(k)) {
                add.add(k);
            }
        }
        try {
            maps.addIpSetEntries(add);
            setMirror.addAll(add);
            Set<Long> ids = new HashSet<>();
            want.values().forEach(p -> ids.addAll(p.ruleIds().keySet()));
            int full = maps.ensureCounters(ids);
            if (full > 0) {
                warnings.add(full + " rule counters do not fit the counter map ("
                        + options.sizes().counters() + " entries): those rules are not counted");
            }
        } catch (BpfException e) {
            loaded.values().forEach(BpfProgram::close);
            setMirror = maps.readIpSets();
            throw new DataplaneException("bpf: updating the IP-set trie (" + e.getMessage() + ")", null, true, e);
        }

        // 3. programs: replace atomically or attach
        List<String> failures = new ArrayList<>();
        for (Map.Entry<AttachPoint, BpfProgram> e : loaded.entrySet()) {
            AttachPoint point = e.getKey();
            BpfProgram prog = e.getValue();
            PolicyProgram pp = want.get(point);
            String what = pp.direction().lowerName() + " program of " + pp.endpoint() + " on " + point;
            Attachment current = attached.get(point);
            try {
                if (current != null) {
                    BpfProgram old = current.program;
                    current.link.update(prog, old);
                    current.program = prog;
                    String oldName = current.programName;
                    current.programName = pp.name();
                    old.close();
                    changes.add("replaced " + what + ": " + oldName + " -> " + pp.name() + " ("
                            + pp.program().slotCount() + " insns)");
                    continue;
                }
                BpfLink link;
                try {
                    link = inNodeNetns(() -> BpfLink.attachTcx(prog, point.iface(), tcx(point.hook())));
                } catch (IllegalArgumentException missing) {
                    prog.close();
                    warnings.add("interface " + point.iface() + " of " + pp.endpoint() + " is not there yet: " + "its "
                            + pp.direction().lowerName() + " program is attached by a later reconcile");
                    continue;
                }
                try {
                    link.pin(linkDir().resolve(point.pinName()));
                } catch (RuntimeException pinFailure) {
                    warnings.add("link " + point + " attached but not pinned: " + pinFailure.getMessage());
                }
                attached.put(point, new Attachment(point, link, prog, pp.name()));
                changes.add("attached " + what + ": " + pp.name() + " ("
                        + pp.program().slotCount() + " insns)");
            } catch (RuntimeException ex) {
                prog.close();
                failures.add(what + ": " + ex.getMessage());
            }
        }

        // 4. links of endpoints that are gone
        for (AttachPoint point : new ArrayList<>(attached.keySet())) {
            if (!want.containsKey(point)) {
                detach(attached.remove(point), changes, warnings);
            }
        }

        // 5. IP-set entries no program uses any more (only when every program is in place)
        if (failures.isEmpty()) {
            List<Ipv4SetKey> remove = new ArrayList<>();
            for (Ipv4SetKey k : setMirror) {
                if (!entries.keys().contains(k)) {
                    remove.add(k);
                }
            }
            try {
                maps.removeIpSetEntries(remove);
                setMirror.removeAll(remove);
            } catch (BpfException e) {
                warnings.add("stale IP-set entries not deleted yet (retried on reconcile): " + e.getMessage());
                setMirror = maps.readIpSets();
            }
            if (!add.isEmpty() || !remove.isEmpty()) {
                changes.add("ip sets: " + add.size() + " entries added, " + remove.size() + " removed ("
                        + entries.keys().size() + " for " + program.ipSets().size() + " sets and the local endpoints)");
            }
        } else if (!add.isEmpty()) {
            changes.add("ip sets: " + add.size() + " entries added");
        }
        if (!failures.isEmpty()) {
            throw new DataplaneException(
                    "bpf: attaching " + String.join("; ", failures), null, !changes.isEmpty(), null);
        }
        return new ApplyReport(changes, warnings, Duration.ofNanos(System.nanoTime() - start));
    }

    private BpfProgram load(AttachPoint point, PolicyProgram p) {
        try {
            return BpfProgram.load(p.program(), maps.byName());
        } catch (VerifierRejectedException e) {
            String[] log = e.verifierLog().strip().split("\n");
            String reason = log.length == 0 ? "" : reasonLine(log);
            String hint = reason.contains("jumps is too complex") || reason.contains("too large")
                    ? "; the policy has too many rules for one program"
                    : "";
            throw new DataplaneException(
                    "bpf: verifying the " + p.direction().lowerName() + " program of " + p.endpoint() + " for "
                            + point + " (" + p.program().slotCount() + " insns, " + ruleCount(p)
                            + " rules; the kernel verifier said \"" + reason + "\"" + hint + ")",
                    null,
                    false,
                    e);
        } catch (BpfException e) {
            throw new DataplaneException(
                    "bpf: loading the " + p.direction().lowerName() + " program of " + p.endpoint() + " ("
                            + p.program().slotCount() + " insns; " + e.getMessage() + ")",
                    null,
                    false,
                    e);
        }
    }

    /** The verifier's reason: the last line that is not its statistics. */
    private static String reasonLine(String[] log) {
        for (int i = log.length - 1; i >= 0; i--) {
            String line = log[i].strip();
            if (!line.isEmpty()
                    && !line.startsWith("processed ")
                    && !line.startsWith("verification time")
                    && !line.startsWith("stack depth")) {
                return line;
            }
        }
        return log[log.length - 1].strip();
    }

    private static long ruleCount(PolicyProgram p) {
        return p.ruleIds().values().stream()
                .filter(id -> !id.startsWith("endpoint/") && !id.startsWith("tier/"))
                .count();
    }

    private static TcxAttachType tcx(Hook hook) {
        return hook == Hook.TC_INGRESS ? TcxAttachType.INGRESS : TcxAttachType.EGRESS;
    }

    private <T> T inNodeNetns(Callable<T> task) {
        try {
            return options.nodeNetns() == null ? task.call() : Netns.call(options.nodeNetns(), task);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void detach(Attachment a, List<String> changes, List<String> warnings) {
        try {
            a.link.detach();
        } catch (BpfException e) {
            warnings.add("detaching " + a.point + ": " + e.getMessage());
        }
        try {
            Files.deleteIfExists(linkDir().resolve(a.point.pinName()));
        } catch (IOException e) {
            warnings.add("removing pin of " + a.point + ": " + e.getMessage());
        }
        a.close();
        changes.add("detached " + a.programName + " from " + a.point);
    }

    // ---------------------------------------------------------------------------------------------- adoption

    /** Opens the pinned maps (creating them) and adopts pinned links, once per process (or after remove). */
    private void adopt(List<String> changes) {
        if (maps != null) {
            return;
        }
        Path dir = options.pinDir();
        Path bpffs = dir;
        while (bpffs != null && !Files.isDirectory(bpffs)) {
            bpffs = bpffs.getParent();
        }
        if (bpffs == null || !BpfFs.isBpfFs(bpffs)) {
            throw new DataplaneException(
                    "bpf: using pin directory " + dir + " (it is not on a bpf filesystem; mount one for tortie first:"
                            + " mkdir -p " + dir + " && mount -t bpf bpffs " + dir + ")",
                    null,
                    false,
                    null);
        }
        try {
            Files.createDirectories(mapDir());
            Files.createDirectories(linkDir());
            maps = SharedMaps.openOrCreate(mapDir(), options.sizes());
        } catch (IOException e) {
            throw new DataplaneException("bpf: creating " + dir + " (" + e.getMessage() + ")", null, false, e);
        } catch (BpfException e) {
            throw new DataplaneException("bpf: opening the shared maps (" + e.getMessage() + ")", null, false, e);
        }
        changes.addAll(maps.changes());
        setMirror = maps.readIpSets();
        for (Path pin : pinnedLinks()) {
            AttachPoint point = parsePin(pin);
            BpfLink link = null;
            try {
                link = BpfLink.openPinned(pin);
                LinkInfo info = link.info();
                if (point == null || info.type() != LinkInfo.TYPE_TCX || info.ifindex() == 0) {
                    link.close();
                    Files.deleteIfExists(pin);
                    changes.add("removed stale link pin " + pin.getFileName());
                    continue;
                }
                BpfProgram prog = BpfProgram.fromId(info.programId());
                attached.put(point, new Attachment(point, link, prog, prog.name()));
            } catch (RuntimeException | IOException e) {
                if (link != null) {
                    link.close();
                }
                changes.add("ignored unusable link pin " + pin.getFileName() + ": " + e.getMessage());
            }
        }
    }

    private List<Path> pinnedLinks() {
        if (!Files.isDirectory(linkDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(linkDir())) {
            return s.sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AttachPoint parsePin(Path pin) {
        String name = pin.getFileName().toString();
        int dot = name.lastIndexOf('_');
        if (dot <= 0) {
            return null;
        }
        String hook = name.substring(dot + 1);
        for (Hook h : Hook.values()) {
            if (h.tcName().equals(hook)) {
                return new AttachPoint(name.substring(0, dot), h);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------- reconcile

    @Override
    public synchronized ApplyReport reconcile() {
        if (desired == null) {
            return ApplyReport.noChange(Duration.ZERO);
        }
        List<String> changes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        adopt(changes);
        for (String name : maps.byName().keySet()) {
            Path pin = mapDir().resolve(name);
            if (!Files.exists(pin)) {
                maps.byName().get(name).pin(pin);
                changes.add("re-pinned map " + name);
            }
        }
        for (Attachment a : new ArrayList<>(attached.values())) {
            LinkInfo info;
            try {
                info = a.link.info();
            } catch (BpfException e) {
                info = null;
            }
            if (info == null || info.ifindex() == 0) {
                detach(attached.remove(a.point), new ArrayList<>(), warnings);
                changes.add("link " + a.point + " was gone (interface deleted or link detached): re-attaching");
                continue;
            }
            int ours = a.program.info().id();
            if (info.programId() != ours) {
                a.link.update(a.program);
                changes.add("program on " + a.point + " was replaced by someone else: restored " + a.programName);
            }
            Path pin = linkDir().resolve(a.point.pinName());
            if (!Files.exists(pin)) {
                a.link.pin(pin);
                changes.add("re-pinned link " + a.point);
            }
        }
        Set<Ipv4SetKey> actual = maps.readIpSets();
        if (!actual.equals(setMirror)) {
            changes.add("ip-set trie drifted (" + actual.size() + " entries, expected " + setMirror.size()
                    + "): repairing");
            setMirror = actual;
        }
        return sync(desired, changes, warnings);
    }

    // ---------------------------------------------------------------------------------------------- counters

    @Override
    public synchronized Map<String, RuleCounters> readCounters() {
        adopt(new ArrayList<>());
        Map<String, RuleCounters> out = new TreeMap<>();
        for (Map.Entry<Long, RuleCounters> e : maps.readCounters().entrySet()) {
            String name = idNames.getOrDefault(e.getKey(), String.format(Locale.ROOT, "0x%016x", e.getKey()));
            out.merge(name, e.getValue(), RuleCounters::plus);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- flow log

    /**
     * The ring-buffer reader's flow log (not synchronized with apply: safe to call from any thread). Its {@code
     * start()} opens the shared maps if no apply did yet; {@link #remove()} stops it.
     */
    @Override
    public FlowLog flowLog() {
        return flowLog;
    }

    // ---------------------------------------------------------------------------------------------- remove

    /** Detaches and unpins everything; stops the flow log's reader first (the ring it reads goes away). */
    @Override
    public ApplyReport remove() {
        flowLog.close(); // outside this object's lock: the flow log's start() takes its own lock, then this one
        return removeKernelState();
    }

    private synchronized ApplyReport removeKernelState() {
        long start = System.nanoTime();
        List<String> changes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!Files.isDirectory(options.pinDir()) && maps == null) {
            return ApplyReport.noChange(Duration.ofNanos(System.nanoTime() - start));
        }
        adopt(changes);
        for (AttachPoint point : new ArrayList<>(attached.keySet())) {
            detach(attached.remove(point), changes, warnings);
        }
        for (Path pin : pinnedLinks()) {
            try (BpfLink link = BpfLink.openPinned(pin)) {
                link.detach();
            } catch (RuntimeException e) {
                warnings.add("stale link pin " + pin.getFileName() + ": " + e.getMessage());
            }
            deleteQuietly(pin, warnings);
            changes.add("removed link pin " + pin.getFileName());
        }
        if (maps != null) {
            for (String name : new TreeSet<>(maps.byName().keySet())) {
                Path pin = mapDir().resolve(name);
                if (Files.exists(pin)) {
                    deleteQuietly(pin, warnings);
                    changes.add("unpinned map " + name);
                }
            }
            maps.close();
            maps = null;
        }
        deleteQuietly(linkDir(), warnings);
        deleteQuietly(mapDir(), warnings);
        deleteQuietly(options.pinDir(), warnings);
        desired = null;
        setMirror = null;
        return new ApplyReport(changes, warnings, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void deleteQuietly(Path p, List<String> warnings) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            warnings.add("cannot remove " + p + ": " + e);
        }
    }

    @Override
    public String toString() {
        return "BpfDataplane{" + options.pinDir()
                + (options.nodeNetns() == null ? "" : ", netns " + options.nodeNetns()) + "}";
    }
}
