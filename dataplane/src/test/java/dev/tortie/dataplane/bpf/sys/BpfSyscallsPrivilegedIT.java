package dev.tortie.dataplane.bpf.sys;

import static dev.tortie.dataplane.bpf.demo.SetLookupDemo.COUNTERS_MAP;
import static dev.tortie.dataplane.bpf.demo.SetLookupDemo.COUNTER_ALLOWED;
import static dev.tortie.dataplane.bpf.demo.SetLookupDemo.COUNTER_DROPPED;
import static dev.tortie.dataplane.bpf.demo.SetLookupDemo.IP_SETS_MAP;
import static dev.tortie.dataplane.bpf.demo.SetLookupDemo.TC_ACT_OK;
import static dev.tortie.dataplane.bpf.demo.SetLookupDemo.TC_ACT_SHOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.bpf.asm.Assembler;
import dev.tortie.dataplane.bpf.asm.AssemblyException;
import dev.tortie.dataplane.bpf.asm.Disassembler;
import dev.tortie.dataplane.bpf.asm.Program;
import dev.tortie.dataplane.bpf.asm.Reg;
import dev.tortie.dataplane.bpf.asm.Size;
import dev.tortie.dataplane.bpf.demo.SetLookupDemo;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.ProcessRunner;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real bpf(2): maps, the demo program through the verifier and BPF_PROG_TEST_RUN, a verifier rejection, pinning
 * and a tcx link on a veth inside network namespaces of our own. Needs root; never touches the root network namespace
 * and pins only under /sys/fs/bpf/tortie-* (in a private mount namespace when the host has no bpffs mounted there).
 */
class BpfSyscallsPrivilegedIT {
    private static final long DENY_SET = Ipv4SetKey.setIdOf("s:demo-deny");
    private static final long OTHER_SET = Ipv4SetKey.setIdOf("s:demo-other");

    @BeforeAll
    static void requireBpf() {
        BpfPrivileged.requireBpf();
    }

    // ---------------------------------------------------------------- maps

    @Test
    void hashArrayPerCpuAndProgArrayMaps() {
        try (BpfMap hash = BpfMap.create(MapSpec.hash("tortie_it_hash", 8, 4, 16));
                BpfMap array = BpfMap.create(MapSpec.array("tortie_it_arr", 8, 4));
                BpfMap perCpu = BpfMap.create(MapSpec.perCpuArray("tortie_it_pcpu", 8, 2));
                BpfMap progs = BpfMap.create(MapSpec.progArray("tortie_it_jump", 4));
                BpfProgram pass = BpfProgram.load(passAll("tortie_it_pass"), Map.of())) {
            byte[] k1 = u64(1);
            byte[] k2 = u64(2);
            assertThat(hash.lookup(k1)).isNull();
            hash.update(k1, u32(10));
            hash.update(k2, u32(20), BpfMap.Update.NO_EXIST);
            assertThatThrownBy(() -> hash.update(k2, u32(21), BpfMap.Update.NO_EXIST))
                    .isInstanceOf(BpfException.class)
                    .satisfies(e -> assertThat(((BpfException) e).errnoName()).isEqualTo("EEXIST"))
                    .hasMessageStartingWith("BPF_MAP_UPDATE_ELEM (map tortie_it_hash): EEXIST (File exists)");
            assertThat(hash.lookup(k1)).isEqualTo(u32(10));
            assertThat(hash.keys()).hasSize(2);
            assertThat(hash.delete(k1)).isTrue();
            assertThat(hash.delete(k1)).isFalse();
            assertThat(hash.keys()).containsExactly(k2);
            MapInfo info = hash.info();
            assertThat(info.name()).isEqualTo("tortie_it_hash");
            assertThat(info.type()).isEqualTo(MapType.HASH.number());
            assertThat(info.keySize()).isEqualTo(8);
            assertThat(info.maxEntries()).isEqualTo(16);

            array.update(BpfMap.u32Key(3), u64(0xabcdef));
            assertThat(array.lookup(BpfMap.u32Key(3))).isEqualTo(u64(0xabcdef));
            assertThat(array.lookup(BpfMap.u32Key(0))).isEqualTo(new byte[8]); // arrays are pre-zeroed
            assertThat(array.lookup(BpfMap.u32Key(4))).isNull(); // out of range

            int cpus = PossibleCpus.count();
            assertThat(perCpu.valueBufferSize()).isEqualTo(8 * cpus);
            byte[] perCpuValue = new byte[8 * cpus];
            for (int cpu = 0; cpu < cpus; cpu++) {
                System.arraycopy(u64(cpu + 1), 0, perCpuValue, 8 * cpu, 8);
            }
            perCpu.update(BpfMap.u32Key(1), perCpuValue);
            assertThat(perCpu.perCpuValues(perCpu.lookup(BpfMap.u32Key(1)))).hasSize(cpus);
            assertThat(perCpu.sumPerCpuU64(1)).isEqualTo((long) cpus * (cpus + 1) / 2);

            progs.setProgram(2, pass);
            assertThat(progs.info().type()).isEqualTo(MapType.PROG_ARRAY.number());
            assertThat(progs.delete(BpfMap.u32Key(2))).isTrue();

            try (BpfMap again = BpfMap.fromId(info.id())) {
                assertThat(again.spec()).isEqualTo(hash.spec());
                assertThat(again.lookup(k2)).isEqualTo(u32(20));
            }
            String shown = bpftool("map", "show", "id", Integer.toString(info.id()));
            if (shown != null) {
                assertThat(shown)
                        .contains("hash")
                        .contains("name tortie_it_hash")
                        .contains("key 8B  value 4B");
            }
        }
    }

    @Test
    void errorsNameTheCommandAndErrno() {
        assertThatThrownBy(() -> BpfMap.create(new MapSpec(MapType.HASH, "tortie_it_bad", 4, 4, 1, 0x40000000)))
                .isInstanceOf(BpfException.class)
                .hasMessage("BPF_MAP_CREATE (map tortie_it_bad (hash 4/4 x 1)): EINVAL (Invalid argument)")
                .satisfies(e -> {
                    assertThat(((BpfException) e).command()).isEqualTo(BpfCommand.BPF_MAP_CREATE);
                    assertThat(((BpfException) e).errno()).isEqualTo(Errno.EINVAL);
                });
        assertThatThrownBy(() -> BpfProgram.fromId(Integer.MAX_VALUE))
                .isInstanceOf(BpfException.class)
                .hasMessage("BPF_PROG_GET_FD_BY_ID (program id 2147483647): ENOENT (No such file or directory)");
        BpfMap closed = BpfMap.create(MapSpec.array("tortie_it_cls", 4, 1));
        closed.close();
        closed.close(); // idempotent
        assertThat(closed.isOpen()).isFalse();
        assertThatThrownBy(closed::fd).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void lpmTrieFindsTheLongestPrefix() {
        try (BpfMap trie = BpfMap.create(MapSpec.lpmTrie("tortie_it_lpm", 8, 4, 64))) {
            trie.update(prefixKey("10.0.0.0", 8), u32(8));
            trie.update(prefixKey("10.1.0.0", 16), u32(16));
            trie.update(prefixKey("10.1.2.3", 32), u32(32));
            trie.update(prefixKey("0.0.0.0", 0), u32(0));

            assertThat(trie.lookup(prefixKey("10.1.2.3", 32))).isEqualTo(u32(32));
            assertThat(trie.lookup(prefixKey("10.1.2.4", 32))).isEqualTo(u32(16));
            assertThat(trie.lookup(prefixKey("10.9.9.9", 32))).isEqualTo(u32(8));
            assertThat(trie.lookup(prefixKey("192.0.2.1", 32))).isEqualTo(u32(0));
            assertThat(trie.lookup(prefixKey("10.1.0.0", 12))).isEqualTo(u32(8)); // a /12 lookup sees only the /8

            assertThat(trie.delete(prefixKey("0.0.0.0", 0))).isTrue();
            assertThat(trie.lookup(prefixKey("192.0.2.1", 32))).isNull();
            assertThat(trie.delete(prefixKey("10.1.0.0", 16))).isTrue();
            assertThat(trie.lookup(prefixKey("10.1.2.4", 32))).isEqualTo(u32(8));
            assertThat(trie.keys()).hasSize(2);
            assertThat(trie.info().flags() & MapSpec.F_NO_PREALLOC).isNotZero();
        }
    }

    @Test
    void ipSetKeysMatchCidrAndNamedPortMembers() {
        try (BpfMap sets = ipSetsMap()) {
            assertThat(sets.lookup(lookupKey(DENY_SET, "10.65.0.5", Protocol.TCP, 80)))
                    .isNotNull();
            assertThat(sets.lookup(lookupKey(DENY_SET, "10.65.0.5", Protocol.TCP, 81)))
                    .isNull();
            assertThat(sets.lookup(lookupKey(DENY_SET, "10.65.0.5", Protocol.UDP, 80)))
                    .isNull();
            assertThat(sets.lookup(lookupKey(DENY_SET, "10.99.200.1", Protocol.TCP, 1234)))
                    .isNotNull(); // CIDR member: any port and protocol
            assertThat(sets.lookup(lookupKey(OTHER_SET, "10.99.200.1", Protocol.TCP, 1234)))
                    .isNull(); // the set id is part of every prefix
            assertThat(sets.lookup(lookupKey(OTHER_SET, "10.65.0.6", Protocol.UDP, 9)))
                    .isNotNull();
            List<Ipv4SetKey> stored = new ArrayList<>();
            for (byte[] k : sets.keys()) {
                stored.add(Ipv4SetKey.decode(k));
            }
            assertThat(stored)
                    .contains(Ipv4SetKey.member(DENY_SET, "10.65.0.5,tcp:80"))
                    .contains(Ipv4SetKey.member(DENY_SET, "10.99.0.0/16"));
        }
    }

    // ---------------------------------------------------------------- programs

    @Test
    void demoProgramLoadsAndDecidesOnTestRuns() {
        try (BpfMap sets = ipSetsMap();
                BpfMap counters = countersMap()) {
            Program demo = SetLookupDemo.program(DENY_SET);
            Map<String, BpfMap> maps = Map.of(IP_SETS_MAP, sets, COUNTERS_MAP, counters);

            long[] loadNanos = new long[15];
            BpfProgram program = null;
            for (int i = 0; i < loadNanos.length; i++) {
                long start = System.nanoTime();
                BpfProgram p = BpfProgram.load(demo, maps);
                loadNanos[i] = System.nanoTime() - start;
                if (program == null) {
                    program = p;
                } else {
                    p.close();
                }
            }
            try (BpfProgram prog = program) {
                ProgramInfo info = prog.info();
                assertThat(info.name()).isEqualTo("tortie_demo");
                assertThat(info.type()).isEqualTo(ProgramType.SCHED_CLS.number());
                assertThat(info.gplCompatible()).isTrue();
                assertThat(info.xlatedBytes()).isPositive();
                assertThat(info.tag()).hasSize(16);
                assertThat(prog.xlated()).isNotEmpty();

                String[][] cases = {
                    // name, expected verdict
                    {"tcp to denied named port 10.65.0.5:80", "2"},
                    {"tcp to 10.65.0.5:81 (other port)", "0"},
                    {"udp to denied named port 10.65.0.5:53", "2"},
                    {"tcp to 10.65.0.5:53 (udp-only entry)", "0"},
                    {"tcp to the denied CIDR 10.99.0.0/16", "2"},
                    {"tcp to 10.65.0.6:80 (another set)", "0"},
                    {"tcp with IP options to 10.65.0.5:80", "2"},
                    {"non-first fragment to 10.65.0.5", "0"},
                    {"truncated after the IP header", "0"},
                    {"ARP", "0"},
                    {"IPv6", "0"},
                };
                byte[][] packets = {
                    Packets.tcp("10.65.0.1", "10.65.0.5", 40000, 80),
                    Packets.tcp("10.65.0.1", "10.65.0.5", 40000, 81),
                    Packets.udp("10.65.0.1", "10.65.0.5", 40000, 53),
                    Packets.tcp("10.65.0.1", "10.65.0.5", 40000, 53),
                    Packets.tcp("10.65.0.1", "10.99.3.4", 40000, 443),
                    Packets.tcp("10.65.0.1", "10.65.0.6", 40000, 80),
                    Packets.ipv4("10.65.0.1", "10.65.0.5", Packets.TCP, 40000, 80, 7, 0),
                    Packets.ipv4("10.65.0.1", "10.65.0.5", Packets.TCP, 40000, 80, 5, 100),
                    Packets.truncated(Packets.tcp("10.65.0.1", "10.65.0.5", 40000, 80), 34),
                    Packets.arpRequest(),
                    Packets.ipv6Udp(),
                };
                int dropped = 0;
                for (int i = 0; i < packets.length; i++) {
                    TestRunResult r = prog.testRun(packets[i]);
                    assertThat(r.retval()).as(cases[i][0]).isEqualTo(Integer.parseInt(cases[i][1]));
                    assertThat(r.dataOut())
                            .as(cases[i][0] + ": packet unchanged")
                            .isEqualTo(packets[i]);
                    dropped += r.retval() == TC_ACT_SHOT ? 1 : 0;
                }
                assertThat(counters.sumPerCpuU64(COUNTER_DROPPED))
                        .isEqualTo(dropped)
                        .isEqualTo(4);
                assertThat(counters.sumPerCpuU64(COUNTER_ALLOWED)).isEqualTo(3);

                int repeat = 1_000_000;
                TestRunResult hit = prog.testRun(packets[0], repeat);
                TestRunResult miss = prog.testRun(packets[1], repeat);
                TestRunResult notIp = prog.testRun(packets[9], repeat);
                assertThat(hit.retval()).isEqualTo(TC_ACT_SHOT);
                assertThat(miss.retval()).isEqualTo(TC_ACT_OK);
                assertThat(counters.sumPerCpuU64(COUNTER_DROPPED)).isEqualTo(4 + repeat);

                long[] sorted = loadNanos.clone();
                Arrays.sort(sorted);
                System.out.printf(
                        "demo program: %d insns (%d slots), verified_insns %d, xlated %d B, jited %d B%n",
                        demo.insns().size(),
                        demo.slotCount(),
                        info.verifiedInsns(),
                        info.xlatedBytes(),
                        info.jitedBytes());
                System.out.printf(
                        "load (BPF_PROG_LOAD incl. encode): first %.0f us, median of %d %.0f us, min %.0f us%n",
                        loadNanos[0] / 1e3, sorted.length, sorted[sorted.length / 2] / 1e3, sorted[0] / 1e3);
                System.out.printf(
                        "test run x%d: deny-set hit %d ns/pkt, miss %d ns/pkt, non-IP %d ns/pkt%n",
                        repeat, hit.durationNs(), miss.durationNs(), notIp.durationNs());
                System.out.println("xlated by the kernel:\n" + Disassembler.disassemble(prog.xlated()));

                String shown = bpftool("prog", "show", "id", Integer.toString(info.id()));
                if (shown != null) {
                    assertThat(shown)
                            .contains("sched_cls")
                            .contains("name tortie_demo")
                            .contains("tag " + info.tag());
                }
            }
        }
    }

    @Test
    void apacheLicensedProgramsLoadWithoutGplHelpers() {
        try (BpfProgram p = BpfProgram.load(
                passAll("tortie_it_asl"), Map.of(), LoadOptions.schedCls().withLicense(LoadOptions.APACHE_2_0))) {
            assertThat(p.info().gplCompatible()).isFalse();
            assertThat(p.testRun(Packets.arpRequest()).retval()).isZero();
        }
    }

    @Test
    void verifierRejectionCarriesTheLog() {
        Program unchecked = new Assembler("tortie_it_oob")
                .comment("reads the ethertype without checking data_end")
                .ldx(Size.W, Reg.R7, Reg.R1, 76)
                .ldx(Size.H, Reg.R0, Reg.R7, 12)
                .exit()
                .assemble();
        assertThatThrownBy(() -> BpfProgram.load(unchecked, Map.of()))
                .isInstanceOfSatisfying(VerifierRejectedException.class, e -> {
                    System.out.println("verifier rejection as reported:\n" + e.getMessage());
                    System.out.println("full verifier log:\n" + e.verifierLog());
                    assertThat(e.command()).isEqualTo(BpfCommand.BPF_PROG_LOAD);
                    assertThat(e.errnoName()).isEqualTo("EACCES");
                    assertThat(e.programName()).isEqualTo("tortie_it_oob");
                    assertThat(e.verifierLog()).contains("invalid access to packet");
                    assertThat(e.getMessage())
                            .startsWith("BPF_PROG_LOAD (program tortie_it_oob, sched_cls, 3 insns): EACCES")
                            .contains("verifier rejected the program")
                            .contains("invalid access to packet");
                });

        // A log asked for on a good load is kept.
        try (BpfProgram p = BpfProgram.load(
                passAll("tortie_it_log"), Map.of(), LoadOptions.schedCls().withLogLevel(2))) {
            assertThat(p.verifierLog()).contains("processed 2 insns");
        }
        // Unresolved maps fail before any syscall.
        assertThatThrownBy(() -> BpfProgram.load(SetLookupDemo.program(DENY_SET), Map.of()))
                .isInstanceOf(AssemblyException.class)
                .hasMessageContaining("no fd for map 'ip_sets'");
    }

    // ---------------------------------------------------------------- pinning

    @Test
    void pinAndGetRoundTripUnderSysFsBpf() throws Exception {
        try (BpfMap sets = ipSetsMap();
                BpfMap counters = countersMap();
                BpfProgram prog = BpfProgram.load(
                        SetLookupDemo.program(DENY_SET), Map.of(IP_SETS_MAP, sets, COUNTERS_MAP, counters))) {
            Path dir = BpfFs.DEFAULT_ROOT.resolve(
                    "tortie-bpfit-" + Long.toHexString(ProcessHandle.current().pid()) + "-" + System.nanoTime());
            TestNamespaces.inPrivateMountNs(tid -> {
                assertThat(BpfFs.isBpfFs(BpfFs.DEFAULT_ROOT)).isTrue();
                Path mapPin = dir.resolve("ip_sets");
                Path progPin = dir.resolve("demo");
                Files.createDirectory(dir);
                try {
                    sets.pin(mapPin);
                    prog.pin(progPin);
                    try (BpfMap again = BpfMap.openPinned(mapPin);
                            BpfProgram progAgain = BpfProgram.openPinned(progPin)) {
                        assertThat(again.info().id()).isEqualTo(sets.info().id());
                        assertThat(again.spec()).isEqualTo(sets.spec());
                        byte[] key = Ipv4SetKey.member(DENY_SET, "192.0.2.0/24").encode();
                        again.update(key, u32(1));
                        assertThat(sets.lookup(key)).isEqualTo(u32(1)); // same kernel object
                        assertThat(progAgain.info().id()).isEqualTo(prog.info().id());
                        assertThat(progAgain
                                        .testRun(Packets.tcp("10.0.0.1", "192.0.2.7", 1, 2))
                                        .retval())
                                .isEqualTo(TC_ACT_SHOT);
                    }
                    assertThatThrownBy(() -> BpfProgram.openPinned(mapPin))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessage(mapPin + " is not a BPF program");
                    CommandResult viaBpftool = ProcessRunner.INSTANCE.run(
                            "nsenter",
                            "--mount=/proc/" + ProcessHandle.current().pid() + "/task/" + tid + "/ns/mnt",
                            "bpftool",
                            "map",
                            "show",
                            "pinned",
                            mapPin.toString());
                    if (viaBpftool.ok()) {
                        assertThat(viaBpftool.stdout()).startsWith(sets.info().id() + ": lpm_trie");
                    } else {
                        System.out.println("bpftool cross-check unavailable: "
                                + viaBpftool.stderr().strip());
                    }
                } finally {
                    Files.deleteIfExists(mapPin);
                    Files.deleteIfExists(progPin);
                    Files.deleteIfExists(dir);
                }
                assertThat(dir).doesNotExist();
                assertThatThrownBy(() -> BpfMap.openPinned(mapPin))
                        .isInstanceOf(BpfException.class)
                        .hasMessage("BPF_OBJ_GET (map pinned at " + mapPin + "): ENOENT (No such file or directory)");
                return null;
            });
            assertThat(sets.isOpen()).isTrue();
        }
    }

    // ---------------------------------------------------------------- tcx

    @Test
    void tcxAttachUpdateAndDetachOnAVethInATortieNetns() throws Exception {
        BpfPrivileged.requireTcx();
        try (TestNamespaces ns = new TestNamespaces();
                BpfMap sets = ipSetsMap();
                BpfMap counters = countersMap();
                BpfProgram demo = BpfProgram.load(
                        SetLookupDemo.program(DENY_SET), Map.of(IP_SETS_MAP, sets, COUNTERS_MAP, counters));
                BpfProgram pass = BpfProgram.load(passAll("tortie_it_pass"), Map.of())) {
            String a = ns.netns("a");
            String b = ns.netns("b");
            TestNamespaces.ip("-n", a, "link", "add", "tbit0", "type", "veth", "peer", "name", "tbit1", "netns", b);
            TestNamespaces.ip("-n", a, "addr", "add", "10.201.0.1/24", "dev", "tbit0");
            TestNamespaces.ip("-n", b, "addr", "add", "10.201.0.2/24", "dev", "tbit1");
            TestNamespaces.ip("-n", a, "link", "set", "tbit0", "up");
            TestNamespaces.ip("-n", b, "link", "set", "tbit1", "up");
            sets.update(lookupKey(DENY_SET, "10.201.0.2", Protocol.TCP, 8081), u32(1));

            List<ServerSocket> servers = TestNamespaces.inNetns(b, () -> List.of(listen(8080), listen(8081)));
            try {
                int ifindex = TestNamespaces.inNetns(b, () -> Interfaces.ifindex("tbit1"));
                try (BpfLink link =
                        TestNamespaces.inNetns(b, () -> BpfLink.attachTcx(demo, "tbit1", TcxAttachType.INGRESS))) {
                    LinkInfo info = link.info();
                    assertThat(info.type()).isEqualTo(LinkInfo.TYPE_TCX);
                    assertThat(info.ifindex()).isEqualTo(ifindex);
                    assertThat(info.attachType()).isEqualTo(TcxAttachType.INGRESS.number());
                    assertThat(info.programId()).isEqualTo(demo.info().id());

                    assertThat(connects(a, 8080)).as("allowed port").isTrue();
                    assertThat(connects(a, 8081)).as("port in the deny set").isFalse();
                    assertThat(counters.sumPerCpuU64(COUNTER_DROPPED)).isPositive();
                    assertThat(counters.sumPerCpuU64(COUNTER_ALLOWED)).isPositive();

                    link.update(pass, demo); // atomic replacement, guarded by the expected old program
                    assertThat(link.info().programId()).isEqualTo(pass.info().id());
                    assertThat(connects(a, 8081))
                            .as("after replacing the program")
                            .isTrue();
                    assertThatThrownBy(() -> link.update(demo, demo))
                            .isInstanceOf(BpfException.class)
                            .satisfies(e ->
                                    assertThat(((BpfException) e).errnoName()).isEqualTo("EPERM"));
                    link.update(demo);
                    assertThat(connects(a, 8081)).as("demo attached again").isFalse();

                    link.detach();
                    assertThat(link.info().ifindex())
                            .as("detached link has no device")
                            .isZero();
                    assertThat(connects(a, 8081)).as("after detach").isTrue();
                    System.out.printf(
                            "tcx: attached %s to tbit1 (ifindex %d) in %s, link id %d%n", demo, ifindex, b, info.id());
                }
            } finally {
                for (ServerSocket s : servers) {
                    s.close();
                }
            }
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("10.201.0.2", port), 16);
        return s;
    }

    /** A TCP connect from namespace {@code from} to 10.201.0.2:port; false when it times out (SYNs dropped). */
    private static boolean connects(String from, int port) throws Exception {
        return TestNamespaces.inNetns(from, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("10.201.0.2", port), 700);
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static BpfMap ipSetsMap() {
        BpfMap sets = BpfMap.create(MapSpec.lpmTrie("tortie_it_sets", Ipv4SetKey.SIZE, 4, 1024));
        for (String member : List.of("10.65.0.5,tcp:80", "10.65.0.5,udp:53", "10.99.0.0/16")) {
            sets.update(Ipv4SetKey.member(DENY_SET, member).encode(), u32(1));
        }
        sets.update(Ipv4SetKey.member(OTHER_SET, "10.65.0.6/32").encode(), u32(1));
        return sets;
    }

    private static BpfMap countersMap() {
        return BpfMap.create(MapSpec.perCpuArray("tortie_it_ctrs", 8, 2));
    }

    private static Program passAll(String name) {
        return new Assembler(name).mov64(Reg.R0, TC_ACT_OK).exit().assemble();
    }

    private static byte[] lookupKey(long setId, String address, Protocol protocol, int port) {
        return Ipv4SetKey.full(setId, IpAddress.parse(address), protocol, port).encode();
    }

    /** An 8-byte LPM key: u32 prefix length (host order) + IPv4 address (network order). */
    private static byte[] prefixKey(String address, int prefixLen) {
        return ByteBuffer.allocate(8)
                .order(ByteOrder.nativeOrder())
                .putInt(prefixLen)
                .put(IpAddress.parse(address).toBytes())
                .array();
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    /** bpftool's plain output, or null when bpftool is not installed (the cross-check is then skipped). */
    private static String bpftool(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("bpftool");
        argv.addAll(List.of(args));
        try {
            CommandResult r = ProcessRunner.INSTANCE.run(argv);
            return r.ok() ? r.stdout() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
