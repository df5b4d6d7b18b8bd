package dev.tortie.dataplane.bpf.asm;

/**
 * The eBPF registers. R0 return value and helper result, R1-R5 helper arguments (clobbered by calls), R6-R9
 * callee-saved, R10 the read-only frame pointer.
 */
public enum Reg {
    R0,
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10;

    private static final Reg[] VALUES = values();

    /** The 4-bit register number used in the encoding. */
    public int number() {
        return ordinal();
    }

    public static Reg of(int number) {
        if (number < 0 || number >= VALUES.length) {
            throw new IllegalArgumentException("register number " + number + " out of range 0-10");
        }
        return VALUES[number];
    }

    /** {@code r6} (64-bit view) or {@code w6} (32-bit view), as the kernel and llvm print them. */
    public String asm(boolean wide) {
        return (wide ? "r" : "w") + ordinal();
    }
}
