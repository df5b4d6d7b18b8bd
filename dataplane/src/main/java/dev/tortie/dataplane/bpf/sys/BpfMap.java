package dev.tortie.dataplane.bpf.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * A BPF map fd. Keys and values are byte arrays in the kernel's layout (host order where the map defines numbers).
 * For per-CPU maps a value is {@link #valueBufferSize()} bytes: one 8-byte aligned slot per possible CPU.
 *
 * <p>Attr layouts used (offsets in {@code union bpf_attr}):
 *
 * <pre>
 * BPF_MAP_CREATE       0 map_type, 4 key_size, 8 value_size, 12 max_entries, 16 map_flags, 20 inner_map_fd,
 *                      24 numa_node, 28 map_name[16], 44 map_ifindex ... (72 bytes with map_extra)
 * BPF_MAP_*_ELEM       0 map_fd, 8 key (u64 ptr), 16 value / next_key (u64 ptr), 24 flags
 * </pre>
 */
public final class BpfMap extends BpfObject {
    /** Update flags ({@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}). */
    public enum Update {
        ANY(0),
        NO_EXIST(1),
        EXIST(2);

        private final int flag;

        Update(int flag) {
            this.flag = flag;
        }
    }

    private static final int CREATE_SIZE = 72;
    private static final int ELEM_SIZE = 32;

    private final MapSpec spec;

    private BpfMap(int fd, MapSpec spec) {
        super(fd);
        this.spec = spec;
    }

    /** BPF_MAP_CREATE. */
    public static BpfMap create(MapSpec spec) {
        Attr attr = Attr.of(CREATE_SIZE)
                .u32(0, spec.type().number())
                .u32(4, spec.keySize())
                .u32(8, spec.valueSize())
                .u32(12, spec.maxEntries())
                .u32(16, spec.flags())
                .chars(28, 16, spec.name());
        int fd = Native.bpf(BpfCommand.BPF_MAP_CREATE, attr, spec::toString);
        return new BpfMap(fd, spec);
    }

    /** Opens a pinned map (BPF_OBJ_GET) and reads its shape from the kernel. */
    public static BpfMap openPinned(Path path) {
        int fd = BpfFs.get(path, "map");
        return adopt(fd, path.toString());
    }

    /** Opens a map by its id (BPF_MAP_GET_FD_BY_ID). */
    public static BpfMap fromId(int id) {
        int fd = Native.bpf(BpfCommand.BPF_MAP_GET_FD_BY_ID, Attr.of(12).u32(0, id), () -> "map id " + id);
        return adopt(fd, "map id " + id);
    }

    private static BpfMap adopt(int fd, String source) {
        try {
            FdKind.require(fd, FdKind.MAP, source);
            MapInfo info = info(fd, source);
            MapSpec spec = new MapSpec(
                    MapType.of(info.type()),
                    info.name(),
                    info.keySize(),
                    info.valueSize(),
                    info.maxEntries(),
                    info.flags());
            return new BpfMap(fd, spec);
        } catch (RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    public MapSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** Size of a value buffer: the value size, or for per-CPU maps round-up-8(value size) x possible CPUs. */
    public int valueBufferSize() {
        if (spec.type().isPerCpu()) {
            return ((spec.valueSize() + 7) & ~7) * PossibleCpus.count();
        }
        return spec.valueSize();
    }

    /** BPF_MAP_UPDATE_ELEM with {@link Update#ANY}. */
    public void update(byte[] key, byte[] value) {
        update(key, value, Update.ANY);
    }

    /** BPF_MAP_UPDATE_ELEM. */
    public void update(byte[] key, byte[] value, Update mode) {
        checkKey(key);
        if (value.length != valueBufferSize()) {
            throw new IllegalArgumentException(
                    describe() + ": value is " + value.length + " bytes, expected " + valueBufferSize());
        }
        Attr attr = elemAttr(key).ptr(16, Attr.buffer(value, value.length)).u64(24, mode.flag);
        Native.bpf(BpfCommand.BPF_MAP_UPDATE_ELEM, attr, this::describe);
    }

    /** BPF_MAP_LOOKUP_ELEM; null when the key is absent (for an LPM trie: no prefix matches). */
    public byte[] lookup(byte[] key) {
        checkKey(key);
        Pointer value = Attr.buffer(null, valueBufferSize());
        Attr attr = elemAttr(key).ptr(16, value);
        long rc = Native.bpfRaw(BpfCommand.BPF_MAP_LOOKUP_ELEM, attr);
        if (rc == -Errno.ENOENT) {
            return null;
        }
        if (rc < 0) {
            throw new BpfException(BpfCommand.BPF_MAP_LOOKUP_ELEM, (int) -rc, describe());
        }
        byte[] out = new byte[valueBufferSize()];
        value.get(0, out, 0, out.length);
        return out;
    }

    /** For per-CPU maps: the value of each possible CPU, from a {@link #lookup} result. */
    public List<byte[]> perCpuValues(byte[] lookedUp) {
        if (!spec.type().isPerCpu()) {
            throw new IllegalStateException(describe() + " is not per-CPU");
        }
        int stride = (spec.valueSize() + 7) & ~7;
        List<byte[]> values = new ArrayList<>();
        for (int off = 0; off + stride <= lookedUp.length; off += stride) {
            byte[] v = new byte[spec.valueSize()];
            System.arraycopy(lookedUp, off, v, 0, v.length);
            values.add(v);
        }
        return values;
    }

    /** For a per-CPU map of u64 counters: the sum over CPUs of the counter at {@code index}; 0 if absent. */
    public long sumPerCpuU64(int index) {
        byte[] raw = lookup(u32Key(index));
        if (raw == null) {
            return 0;
        }
        long sum = 0;
        for (byte[] v : perCpuValues(raw)) {
            sum += ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong(0);
        }
        return sum;
    }

    /** BPF_MAP_DELETE_ELEM; false when the key was absent. */
    public boolean delete(byte[] key) {
        checkKey(key);
        long rc = Native.bpfRaw(BpfCommand.BPF_MAP_DELETE_ELEM, elemAttr(key));
        if (rc == -Errno.ENOENT) {
            return false;
        }
        if (rc < 0) {
            throw new BpfException(BpfCommand.BPF_MAP_DELETE_ELEM, (int) -rc, describe());
        }
        return true;
    }

    /** BPF_MAP_GET_NEXT_KEY: the key after {@code key} (null: the first key); null after the last one. */
    public byte[] nextKey(byte[] key) {
        if (key != null) {
            checkKey(key);
        }
        Pointer next = Attr.buffer(null, spec.keySize());
        Attr attr = Attr.of(ELEM_SIZE).u32(0, fd());
        attr.ptr(8, key == null ? null : Attr.buffer(key, key.length)).ptr(16, next);
        long rc = Native.bpfRaw(BpfCommand.BPF_MAP_GET_NEXT_KEY, attr);
        if (rc == -Errno.ENOENT) {
            return null;
        }
        if (rc < 0) {
            throw new BpfException(BpfCommand.BPF_MAP_GET_NEXT_KEY, (int) -rc, describe());
        }
        byte[] out = new byte[spec.keySize()];
        next.get(0, out, 0, out.length);
        return out;
    }

    /** All keys, by walking BPF_MAP_GET_NEXT_KEY (not a snapshot: concurrent updates may show or hide keys). */
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        for (byte[] k = nextKey(null); k != null; k = nextKey(k)) {
            keys.add(k);
            if (keys.size() > spec.maxEntries()) {
                break; // a concurrently rewritten map can make the walk restart; never loop forever
            }
        }
        return keys;
    }

    /** Puts {@code program} at {@code index} of a prog array (the slot a tail call jumps to). */
    public void setProgram(int index, BpfProgram program) {
        if (spec.type() != MapType.PROG_ARRAY) {
            throw new IllegalStateException(describe() + " is not a prog array");
        }
        update(u32Key(index), u32Key(program.fd()));
    }

    /** BPF_OBJ_GET_INFO_BY_FD. */
    public MapInfo info() {
        return info(fd(), describe());
    }

    /**
     * {@code struct bpf_map_info}: 0 type, 4 id, 8 key_size, 12 value_size, 16 max_entries, 20 map_flags, 24 name[16],
     * 40 ifindex, ... (88 bytes in 6.1).
     */
    private static MapInfo info(int fd, String what) {
        Attr info = ObjInfo.get(fd, 88, what);
        return new MapInfo(
                info.u32(4), info.u32(0), info.chars(24, 16), info.u32(8), info.u32(12), info.u32(16), info.u32(20));
    }

    /** A 4-byte host-order key, as array maps use. */
    public static byte[] u32Key(int index) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.nativeOrder())
                .putInt(index)
                .array();
    }

    private Attr elemAttr(byte[] key) {
        return Attr.of(ELEM_SIZE).u32(0, fd()).ptr(8, Attr.buffer(key, key.length));
    }

    private void checkKey(byte[] key) {
        if (key.length != spec.keySize()) {
            throw new IllegalArgumentException(
                    describe() + ": key is " + key.length + " bytes, expected " + spec.keySize());
        }
    }

    @Override
    String describe() {
        return "map " + spec.name();
    }
}
