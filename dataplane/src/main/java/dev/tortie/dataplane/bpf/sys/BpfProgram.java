package dev.tortie.dataplane.bpf.sys;

import dev.tortie.dataplane.bpf.asm.Insn;
import dev.tortie.dataplane.bpf.asm.Program;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import jnr.ffi.Pointer;

/**
 * A loaded BPF program fd.
 *
 * <p>Attr layouts used (offsets in {@code union bpf_attr}):
 *
 * <pre>
 * BPF_PROG_LOAD        0 prog_type, 4 insn_cnt, 8 insns (ptr), 16 license (ptr), 24 log_level, 28 log_size,
 *                      32 log_buf (ptr), 40 kern_version, 44 prog_flags, 48 prog_name[16], 64 prog_ifindex,
 *                      68 expected_attach_type, ... 140 log_true_size (6.4+; 144 bytes)
 * BPF_PROG_TEST_RUN    0 prog_fd, 4 retval (out), 8 data_size_in, 12 data_size_out (in/out), 16 data_in (ptr),
 *                      24 data_out (ptr), 32 repeat, 36 duration (out), 40 ctx_size_in, 44 ctx_size_out,
 *                      48 ctx_in, 56 ctx_out, 64 flags, 68 cpu, 72 batch_size (80 bytes)
 * BPF_PROG_GET_FD_BY_ID 0 prog_id, 4 next_id, 8 open_flags
 * </pre>
 */
public final class BpfProgram extends BpfObject {
    private static final int LOAD_SIZE = 144;
    private static final int TEST_RUN_SIZE = 80;
    private static final int INFO_SIZE = 232;

    private final String name;
    private final ProgramType type;
    private final String verifierLog;

    private BpfProgram(int fd, String name, ProgramType type, String verifierLog) {
        super(fd);
        this.name = name;
        this.type = type;
        this.verifierLog = verifierLog;
    }

    /** Loads a TC classifier with the default options ({@link LoadOptions#schedCls()}). */
    public static BpfProgram load(Program program, Map<String, BpfMap> maps) {
        return load(program, maps, LoadOptions.schedCls());
    }

    /**
     * BPF_PROG_LOAD: resolves the program's map names against {@code maps}, encodes it and hands it to the verifier.
     * A rejection throws {@link VerifierRejectedException} with the verifier log.
     */
    public static BpfProgram load(Program program, Map<String, BpfMap> maps, LoadOptions options) {
        String name = options.name() != null ? options.name() : program.name();
        MapSpec.checkName(name);
        byte[] code = program.encode(mapName -> {
            BpfMap map = maps.get(mapName);
            return map == null ? null : map.fd();
        });
        String context = "program " + name + ", " + options.type().kernelName() + ", " + program.slotCount() + " insns";
        Pointer insns = Attr.buffer(code, code.length);
        Pointer license = Attr.cString(options.license());

        Attempt first =
                attempt(options, name, program.slotCount(), insns, license, options.logLevel(), options.logSize());
        if (first.fd >= 0) {
            return new BpfProgram(first.fd, name, options.type(), first.log);
        }
        if (first.errno == Errno.EPERM) {
            throw new BpfException(BpfCommand.BPF_PROG_LOAD, first.errno, context);
        }
        // Retry with a log to find out why, growing the buffer while the kernel says it was too small.
        Attempt logged = first;
        int level = Math.max(1, options.logLevel());
        int size = options.logSize();
        if (first.log.isEmpty() || first.errno == Errno.ENOSPC) {
            while (true) {
                logged = attempt(options, name, program.slotCount(), insns, license, level, size);
                if (logged.fd >= 0) {
                    return new BpfProgram(logged.fd, name, options.type(), logged.log);
                }
                if (logged.errno != Errno.ENOSPC || size >= LoadOptions.MAX_LOG_SIZE) {
                    break;
                }
                size = (int) Math.min(LoadOptions.MAX_LOG_SIZE, Math.max((long) size * 4, logged.logTrueSize));
            }
        }
        if (!logged.log.isBlank()) {
            throw new VerifierRejectedException(name, context, logged.errno, logged.log);
        }
        throw new BpfException(BpfCommand.BPF_PROG_LOAD, first.errno, context);
    }

    private static final class Attempt {
        final int fd;
        final int errno;
        final String log;
        final long logTrueSize;

        Attempt(int fd, int errno, String log, long logTrueSize) {
            this.fd = fd;
            this.errno = errno;
            this.log = log;
            this.logTrueSize = logTrueSize;
        }
    }

    private static Attempt attempt(
            LoadOptions options, String name, int slots, Pointer insns, Pointer license, int logLevel, int logSize) {
        Pointer logBuf = logLevel > 0 ? Attr.buffer(null, logSize) : null;
        Attr attr = Attr.of(LOAD_SIZE)
                .u32(0, options.type().number())
                .u32(4, slots)
                .ptr(8, insns)
                .ptr(16, license)
                .u32(24, logLevel)
                .u32(28, logLevel > 0 ? logSize : 0)
                .ptr(32, logBuf)
                .chars(48, 16, name);
        long rc = Native.bpfRaw(BpfCommand.BPF_PROG_LOAD, attr);
        String log = logBuf == null ? "" : logBuf.getString(0, logSize, StandardCharsets.UTF_8);
        long trueSize = attr.u32(140) & 0xffffffffL;
        return rc >= 0 ? new Attempt((int) rc, 0, log, trueSize) : new Attempt(-1, (int) -rc, log, trueSize);
    }

    /** Opens a pinned program (BPF_OBJ_GET). */
    public static BpfProgram openPinned(Path path) {
        return adopt(BpfFs.get(path, "program"), path.toString());
    }

    /** Opens a program by id (BPF_PROG_GET_FD_BY_ID), e.g. one a link or bpftool reports. */
    public static BpfProgram fromId(int id) {
        int fd = Native.bpf(BpfCommand.BPF_PROG_GET_FD_BY_ID, Attr.of(12).u32(0, id), () -> "program id " + id);
        return adopt(fd, "program id " + id);
    }

    private static BpfProgram adopt(int fd, String source) {
        try {
            FdKind.require(fd, FdKind.PROGRAM, source);
            ProgramInfo info = info(fd, source);
            return new BpfProgram(fd, info.name(), ProgramType.of(info.type()), "");
        } catch (RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public ProgramType type() {
        return type;
    }

    /** The verifier log of the load when a log level above 0 was asked for; otherwise empty. */
    public String verifierLog() {
        return verifierLog;
    }

    /** BPF_PROG_TEST_RUN once on {@code packet} (for TC: a frame starting with the Ethernet header). */
    public TestRunResult testRun(byte[] packet) {
        return testRun(packet, 1);
    }

    /** BPF_PROG_TEST_RUN {@code repeat} times on {@code packet}; the duration is the kernel's mean per run. */
    public TestRunResult testRun(byte[] packet, int repeat) {
        return testRun(packet, null, repeat);
    }

    /**
     * BPF_PROG_TEST_RUN with a context: for TC programs a {@code struct __sk_buff} (all zero except the fields the
     * kernel lets a caller set: mark, priority, cb, ...; {@link TestRunResult#SKB_CTX_SIZE} zero bytes is a valid one).
     * The context after the run is in {@link TestRunResult#ctxOut()}. A null context runs without one.
     */
    public TestRunResult testRun(byte[] packet, byte[] ctx, int repeat) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be >= 1");
        }
        int outSize = packet.length + 256;
        Pointer out = Attr.buffer(null, outSize);
        Attr attr = Attr.of(TEST_RUN_SIZE)
                .u32(0, fd())
                .u32(8, packet.length)
                .u32(12, outSize)
                .ptr(16, Attr.buffer(packet, packet.length))
                .ptr(24, out)
                .u32(32, repeat);
        Pointer ctxOut = null;
        if (ctx != null) {
            ctxOut = Attr.buffer(null, ctx.length);
            attr.u32(40, ctx.length)
                    .u32(44, ctx.length)
                    .ptr(48, Attr.buffer(ctx, ctx.length))
                    .ptr(56, ctxOut);
        }
        Native.bpf(BpfCommand.BPF_PROG_TEST_RUN, attr, () -> describe() + ", " + packet.length + " bytes");
        int outLen = Math.min(attr.u32(12), outSize);
        byte[] dataOut = new byte[outLen];
        out.get(0, dataOut, 0, outLen);
        byte[] ctxBytes = new byte[0];
        if (ctxOut != null) {
            ctxBytes = new byte[Math.min(attr.u32(44), ctx.length)];
            ctxOut.get(0, ctxBytes, 0, ctxBytes.length);
        }
        return new TestRunResult(attr.u32(4), dataOut, attr.u32(36) & 0xffffffffL, repeat, ctxBytes);
    }

    /** BPF_OBJ_GET_INFO_BY_FD. */
    public ProgramInfo info() {
        return info(fd(), describe());
    }

    /**
     * {@code struct bpf_prog_info}: 0 type, 4 id, 8 tag[8], 16 jited_prog_len, 20 xlated_prog_len, 24
     * jited_prog_insns, 32 xlated_prog_insns, 40 load_time, 48 created_by_uid, 52 nr_map_ids, 56 map_ids, 64 name[16],
     * 80 ifindex, 84 gpl_compatible:1, ..., 192 run_time_ns, 200 run_cnt, 208 recursion_misses, 216 verified_insns
     * (232 bytes in 6.1).
     */
    private static ProgramInfo info(int fd, String what) {
        Attr info = ObjInfo.get(fd, INFO_SIZE, what);
        return new ProgramInfo(
                info.u32(4),
                info.u32(0),
                info.chars(64, 16),
                HexFormat.of().formatHex(info.bytes(8, 8)),
                info.u32(20),
                info.u32(16),
                (info.u32(84) & 1) != 0,
                info.u64(192),
                info.u64(200),
                info.u32(216));
    }

    /** The program as the verifier rewrote it ({@code xlated_prog_insns}), decoded; map loads show kernel values. */
    public List<Insn> xlated() {
        int len = info().xlatedBytes();
        Pointer buf = Attr.buffer(null, len);
        Attr info = Attr.of(INFO_SIZE).u32(20, len).ptr(32, buf);
        Attr attr = Attr.of(16).u32(0, fd()).u32(4, INFO_SIZE).ptr(8, info.pointer());
        Native.bpf(BpfCommand.BPF_OBJ_GET_INFO_BY_FD, attr, this::describe);
        byte[] bytes = new byte[Math.min(len, info.u32(20))];
        buf.get(0, bytes, 0, bytes.length);
        return Insn.decode(bytes);
    }

    @Override
    String describe() {
        return "program " + name;
    }
}
