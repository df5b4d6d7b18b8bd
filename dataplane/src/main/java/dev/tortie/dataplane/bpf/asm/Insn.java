package dev.tortie.dataplane.bpf.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One eBPF instruction, immutable. The kernel format ({@code struct bpf_insn}) is 8 bytes, little-endian on the
 * little-endian hosts tortie supports (x86_64, arm64):
 *
 * <pre>
 *   byte 0     opcode: class (bits 0-2) | source or size (bit 3 / bits 3-4) | operation or mode (bits 4-7)
 *   byte 1     dst_reg (low nibble) | src_reg (high nibble)
 *   bytes 2-3  off, signed 16-bit (jump offset in slots, or memory offset)
 *   bytes 4-7  imm, signed 32-bit
 * </pre>
 *
 * {@code LD_IMM64} ({@code 0x18}) takes two slots: the second has opcode 0 and carries the upper 32 bits of the
 * immediate in its imm field. With {@code src_reg = 1} ({@link #PSEUDO_MAP_FD}) the immediate is a map fd that the
 * kernel replaces by the map's address.
 *
 * <p>Besides the encoded fields an instruction may carry annotations that do not reach the kernel: the symbolic jump
 * target (a label, resolved to {@link #off()} by the {@link Assembler}), the symbolic map name of a map load (resolved
 * to an fd when the program is encoded for loading) and comments (e.g. the rule id) that the {@link Disassembler}
 * prints.
 */
public final class Insn {
    public static final int CLASS_LD = 0x00;
    public static final int CLASS_LDX = 0x01;
    public static final int CLASS_ST = 0x02;
    public static final int CLASS_STX = 0x03;
    public static final int CLASS_ALU = 0x04;
    public static final int CLASS_JMP = 0x05;
    public static final int CLASS_JMP32 = 0x06;
    public static final int CLASS_ALU64 = 0x07;

    /** Source bit: operand is the immediate. */
    public static final int SRC_K = 0x00;
    /** Source bit: operand is src_reg. For {@link AluOp#END} it selects to-big-endian. */
    public static final int SRC_X = 0x08;

    public static final int MODE_IMM = 0x00;
    public static final int MODE_MEM = 0x60;
    public static final int MODE_ATOMIC = 0xc0;

    /** src_reg of a {@code LD_IMM64} whose immediate is a map fd. */
    public static final int PSEUDO_MAP_FD = 1;
    /** src_reg of a {@code CALL} to a helper. */
    public static final int CALL_HELPER = 0;

    /** Size of one slot in bytes. */
    public static final int SLOT_BYTES = 8;

    static final int LD_IMM64 = CLASS_LD | MODE_IMM | 0x18;

    private final int code;
    private final int dst;
    private final int src;
    private final short off;
    private final long imm;
    private final String target;
    private final String mapName;
    private final List<String> comments;

    private Insn(int code, int dst, int src, int off, long imm, String target, String mapName, List<String> comments) {
        if (code < 0 || code > 0xff) {
            throw new IllegalArgumentException("opcode " + code + " out of range 0-255");
        }
        if (dst < 0 || dst > 15 || src < 0 || src > 15) {
            throw new IllegalArgumentException("register field out of range 0-15: dst " + dst + ", src " + src);
        }
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + off + " does not fit 16 bits");
        }
        if (code != LD_IMM64 && (imm < Integer.MIN_VALUE || imm > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("immediate " + imm + " does not fit 32 bits");
        }
        this.code = code;
        this.dst = dst;
        this.src = src;
        this.off = (short) off;
        this.imm = imm;
        this.target = target;
        this.mapName = mapName;
        this.comments = List.copyOf(comments);
    }

    private static Insn of(int code, Reg dst, Reg src, int off, long imm) {
        return new Insn(code, dst.number(), src.number(), off, imm, null, null, List.of());
    }

    /** Any field values, as decoded; no validation beyond field widths. */
    public static Insn raw(int code, int dst, int src, int off, int imm) {
        return new Insn(code, dst, src, off, imm, null, null, List.of());
    }

    // ---- ALU

    /** 64-bit {@code dst op= imm} (imm sign-extended). Not for {@link AluOp#NEG} or {@link AluOp#END}. */
    public static Insn alu64(AluOp op, Reg dst, int imm) {
        return of(CLASS_ALU64 | SRC_K | binary(op).bits(), dst, Reg.R0, 0, imm);
    }

    /** 64-bit {@code dst op= src}. */
    public static Insn alu64(AluOp op, Reg dst, Reg src) {
        return of(CLASS_ALU64 | SRC_X | binary(op).bits(), dst, src, 0, 0);
    }

    /** 32-bit {@code dst op= imm}; the upper half of dst is zeroed. */
    public static Insn alu32(AluOp op, Reg dst, int imm) {
        return of(CLASS_ALU | SRC_K | binary(op).bits(), dst, Reg.R0, 0, imm);
    }

    /** 32-bit {@code dst op= src}; the upper half of dst is zeroed. */
    public static Insn alu32(AluOp op, Reg dst, Reg src) {
        return of(CLASS_ALU | SRC_X | binary(op).bits(), dst, src, 0, 0);
    }

    public static Insn neg64(Reg dst) {
        return of(CLASS_ALU64 | AluOp.NEG.bits(), dst, Reg.R0, 0, 0);
    }

    public static Insn neg32(Reg dst) {
        return of(CLASS_ALU | AluOp.NEG.bits(), dst, Reg.R0, 0, 0);
    }

    /** {@code dst = be16 dst} etc.: convert between host order and big-endian (network) order. */
    public static Insn toBigEndian(Reg dst, int bits) {
        return of(CLASS_ALU | SRC_X | AluOp.END.bits(), dst, Reg.R0, 0, endianBits(bits));
    }

    /** {@code dst = le16 dst} etc.: convert between host order and little-endian order (truncation on LE hosts). */
    public static Insn toLittleEndian(Reg dst, int bits) {
        return of(CLASS_ALU | SRC_K | AluOp.END.bits(), dst, Reg.R0, 0, endianBits(bits));
    }

    // ---- loads and stores

    /** {@code dst = *(size *)(src + off)}. */
    public static Insn ldx(Size size, Reg dst, Reg src, int off) {
        return of(CLASS_LDX | MODE_MEM | size.bits(), dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = src}. */
    public static Insn stx(Size size, Reg dst, int off, Reg src) {
        return of(CLASS_STX | MODE_MEM | size.bits(), dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = imm}. */
    public static Insn st(Size size, Reg dst, int off, int imm) {
        return of(CLASS_ST | MODE_MEM | size.bits(), dst, Reg.R0, off, imm);
    }

    /** {@code lock *(size *)(dst + off) += src}: atomic add (W or DW), for counters in shared maps. */
    public static Insn atomicAdd(Size size, Reg dst, int off, Reg src) {
        if (size != Size.W && size != Size.DW) {
            throw new IllegalArgumentException("atomic add needs W or DW, not " + size);
        }
        return of(CLASS_STX | MODE_ATOMIC | size.bits(), dst, src, off, AluOp.ADD.bits());
    }

    /** {@code dst = imm64} (two slots). */
    public static Insn ldImm64(Reg dst, long imm) {
        return of(LD_IMM64, dst, Reg.R0, 0, imm);
    }

    /** {@code dst = map[name]}: a map fd load resolved by name when the program is encoded (two slots). */
    public static Insn ldMap(Reg dst, String mapName) {
        Objects.requireNonNull(mapName, "mapName == null");
        if (mapName.isEmpty()) {
            throw new IllegalArgumentException("map name is empty");
        }
        return new Insn(LD_IMM64, dst.number(), PSEUDO_MAP_FD, 0, 0, null, mapName, List.of());
    }

    /** {@code dst = map[fd]}: a map fd load with a concrete fd (two slots). */
    public static Insn ldMapFd(Reg dst, int fd) {
        return new Insn(LD_IMM64, dst.number(), PSEUDO_MAP_FD, 0, fd, null, null, List.of());
    }

    // ---- jumps

    /** 64-bit {@code if dst op imm goto +off}. */
    public static Insn jmp(JmpOp op, Reg dst, int imm, int off) {
        return of(CLASS_JMP | SRC_K | conditional(op).bits(), dst, Reg.R0, off, imm);
    }

    /** 64-bit {@code if dst op src goto +off}. */
    public static Insn jmp(JmpOp op, Reg dst, Reg src, int off) {
        return of(CLASS_JMP | SRC_X | conditional(op).bits(), dst, src, off, 0);
    }

    /** 32-bit {@code if wdst op imm goto +off}. */
    public static Insn jmp32(JmpOp op, Reg dst, int imm, int off) {
        return of(CLASS_JMP32 | SRC_K | conditional(op).bits(), dst, Reg.R0, off, imm);
    }

    /** 32-bit {@code if wdst op wsrc goto +off}. */
    public static Insn jmp32(JmpOp op, Reg dst, Reg src, int off) {
        return of(CLASS_JMP32 | SRC_X | conditional(op).bits(), dst, src, off, 0);
    }

    /** {@code goto +off}. */
    public static Insn ja(int off) {
        return of(CLASS_JMP | JmpOp.JA.bits(), Reg.R0, Reg.R0, off, 0);
    }

    /** {@code call helper}: arguments in R1-R5, result in R0; R1-R5 are clobbered. */
    public static Insn call(Helper helper) {
        return call(helper.id());
    }

    public static Insn call(int helperId) {
        return of(CLASS_JMP | JmpOp.CALL.bits(), Reg.R0, Reg.R0, 0, helperId);
    }

    /** {@code exit}: return R0. */
    public static Insn exit() {
        return of(CLASS_JMP | JmpOp.EXIT.bits(), Reg.R0, Reg.R0, 0, 0);
    }

    private static AluOp binary(AluOp op) {
        Objects.requireNonNull(op, "op == null");
        if (op == AluOp.NEG || op == AluOp.END) {
            throw new IllegalArgumentException(op + " is not a two-operand ALU operation");
        }
        return op;
    }

    private static JmpOp conditional(JmpOp op) {
        Objects.requireNonNull(op, "op == null");
        if (!op.isConditional()) {
            throw new IllegalArgumentException(op + " is not a conditional jump");
        }
        return op;
    }

    private static int endianBits(int bits) {
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("byte swap width must be 16, 32 or 64, not " + bits);
        }
        return bits;
    }

    // ---- withers

    /** This instruction jumping to {@code label}; the assembler fills in the offset. */
    public Insn withTarget(String label) {
        if (!isJump()) {
            throw new IllegalArgumentException("not a jump: " + this);
        }
        return new Insn(code, dst, src, off, imm, label, mapName, comments);
    }

    public Insn withOffset(int newOff) {
        return new Insn(code, dst, src, newOff, imm, target, mapName, comments);
    }

    /** For a map load: the same instruction with the concrete fd as immediate (the name stays as annotation). */
    public Insn withMapFd(int fd) {
        if (!isMapLoad()) {
            throw new IllegalArgumentException("not a map load: " + this);
        }
        return new Insn(code, dst, src, off, fd, target, mapName, comments);
    }

    public Insn withComments(List<String> newComments) {
        return new Insn(code, dst, src, off, imm, target, mapName, newComments);
    }

    public Insn withComment(String comment) {
        List<String> all = new ArrayList<>(comments);
        all.add(Objects.requireNonNull(comment, "comment == null"));
        return withComments(all);
    }

    /** Only what the kernel sees: no target label, map name or comments. */
    public Insn bare() {
        return new Insn(code, dst, src, off, imm, null, null, List.of());
    }

    // ---- accessors

    public int code() {
        return code;
    }

    /** The instruction class, {@code code & 0x07}. */
    public int insnClass() {
        return code & 0x07;
    }

    public Reg dst() {
        return Reg.of(dst);
    }

    public Reg src() {
        return Reg.of(src);
    }

    public int dstField() {
        return dst;
    }

    /** The raw src_reg field (a register number, or a pseudo-source marker for LD_IMM64 and CALL). */
    public int srcField() {
        return src;
    }

    public int off() {
        return off;
    }

    /** The 32-bit immediate (for LD_IMM64 the lower half). */
    public int imm() {
        return (int) imm;
    }

    /** The full immediate: 64 bits for LD_IMM64, otherwise the sign-extended 32-bit value. */
    public long imm64() {
        return imm;
    }

    /** Symbolic jump target, or null. */
    public String target() {
        return target;
    }

    /** Symbolic map name of a map load, or null. */
    public String mapName() {
        return mapName;
    }

    public List<String> comments() {
        return comments;
    }

    /** 2 for LD_IMM64, else 1. */
    public int slots() {
        return code == LD_IMM64 ? 2 : 1;
    }

    public boolean isLdImm64() {
        return code == LD_IMM64;
    }

    public boolean isMapLoad() {
        return code == LD_IMM64 && src == PSEUDO_MAP_FD;
    }

    public boolean isAlu() {
        return insnClass() == CLASS_ALU || insnClass() == CLASS_ALU64;
    }

    /** Whether the offset is a jump offset: JA and conditional jumps of either class. */
    public boolean isJump() {
        int cls = insnClass();
        if (cls != CLASS_JMP && cls != CLASS_JMP32) {
            return false;
        }
        JmpOp op = JmpOp.ofBits(code);
        return op == JmpOp.JA || (op != null && op.isConditional());
    }

    /** The ALU operation, or null when not an ALU instruction. */
    public AluOp aluOp() {
        return isAlu() ? AluOp.ofBits(code) : null;
    }

    /** The jump operation, or null when not a JMP/JMP32 instruction. */
    public JmpOp jmpOp() {
        int cls = insnClass();
        return cls == CLASS_JMP || cls == CLASS_JMP32 ? JmpOp.ofBits(code) : null;
    }

    /** Whether the operand is src_reg (source bit set). */
    public boolean usesSrcReg() {
        return (code & SRC_X) != 0;
    }

    /** The access width of a load or store. */
    public Size size() {
        return Size.ofBits(code);
    }

    // ---- encoding

    /** Appends the kernel encoding (8 bytes, 16 for LD_IMM64) to {@code out}, which must be little-endian. */
    public void encodeTo(ByteBuffer out) {
        if (out.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("buffer must be little-endian");
        }
        out.put((byte) code);
        out.put((byte) ((src << 4) | dst));
        out.putShort(off);
        out.putInt((int) imm);
        if (code == LD_IMM64) {
            out.put((byte) 0);
            out.put((byte) 0);
            out.putShort((short) 0);
            out.putInt((int) (imm >>> 32));
        }
    }

    /** The kernel encoding of this instruction alone. */
    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(slots() * SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        encodeTo(buf);
        return buf.array();
    }

    /** Decodes kernel-format bytes (length a multiple of 8) into bare instructions. */
    public static List<Insn> decode(byte[] bytes) {
        if (bytes.length % SLOT_BYTES != 0) {
            throw new IllegalArgumentException("program length " + bytes.length + " is not a multiple of 8");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Insn> out = new ArrayList<>(bytes.length / SLOT_BYTES);
        while (in.hasRemaining()) {
            int slot = in.position() / SLOT_BYTES;
            int code = in.get() & 0xff;
            int regs = in.get() & 0xff;
            short off = in.getShort();
            int lo = in.getInt();
            long imm = lo;
            if (code == LD_IMM64) {
                if (!in.hasRemaining()) {
                    throw new IllegalArgumentException("LD_IMM64 at slot " + slot + " lacks its second slot");
                }
                int code2 = in.get() & 0xff;
                int regs2 = in.get() & 0xff;
                short off2 = in.getShort();
                int hi = in.getInt();
                if (code2 != 0 || regs2 != 0 || off2 != 0) {
                    throw new IllegalArgumentException("LD_IMM64 at slot " + slot + " has a malformed second slot");
                }
                imm = ((long) hi << 32) | (lo & 0xffffffffL);
            }
            out.add(new Insn(code, regs & 0x0f, regs >>> 4, off, imm, null, null, List.of()));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Insn)) {
            return false;
        }
        Insn other = (Insn) o;
        return code == other.code
                && dst == other.dst
                && src == other.src
                && off == other.off
                && imm == other.imm
                && Objects.equals(target, other.target)
                && Objects.equals(mapName, other.mapName)
                && comments.equals(other.comments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, dst, src, off, imm, target, mapName, comments);
    }

    /** The instruction text as the disassembler prints it, without pc and comments. */
    @Override
    public String toString() {
        return Disassembler.text(this);
    }
}
