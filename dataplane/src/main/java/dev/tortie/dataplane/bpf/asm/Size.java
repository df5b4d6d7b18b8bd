package dev.tortie.dataplane.bpf.asm;

/** Width of a memory access ({@code BPF_SIZE} bits of the opcode). */
public enum Size {
    W(0x00, 4, "u32"),
    H(0x08, 2, "u16"),
    B(0x10, 1, "u8"),
    DW(0x18, 8, "u64");

    private final int bits;
    private final int bytes;
    private final String cType;

    Size(int bits, int bytes, String cType) {
        this.bits = bits;
        this.bytes = bytes;
        this.cType = cType;
    }

    /** The opcode bits (mask 0x18). */
    public int bits() {
        return bits;
    }

    public int bytes() {
        return bytes;
    }

    /** {@code u8}, {@code u16}, {@code u32}, {@code u64}. */
    public String cType() {
        return cType;
    }

    static Size ofBits(int opcode) {
        int b = opcode & 0x18;
        for (Size s : values()) {
            if (s.bits == b) {
                return s;
            }
        }
        throw new AssertionError(b);
    }
}
