; program zoo: 121 insns, 124 slots; maps: zoo_map
top:
; ALU64 and ALU32, immediate and register
   0: (07) r1 += 7
   1: (0f) r1 += r2
   2: (04) w3 += -1
   3: (0c) w3 += w9
   4: (17) r1 -= 7
   5: (1f) r1 -= r2
   6: (14) w3 -= -1
   7: (1c) w3 -= w9
   8: (27) r1 *= 7
   9: (2f) r1 *= r2
  10: (24) w3 *= -1
  11: (2c) w3 *= w9
  12: (37) r1 /= 7
  13: (3f) r1 /= r2
  14: (34) w3 /= -1
  15: (3c) w3 /= w9
  16: (47) r1 |= 7
  17: (4f) r1 |= r2
  18: (44) w3 |= -1
  19: (4c) w3 |= w9
  20: (57) r1 &= 7
  21: (5f) r1 &= r2
  22: (54) w3 &= -1
  23: (5c) w3 &= w9
  24: (67) r1 <<= 7
  25: (6f) r1 <<= r2
  26: (64) w3 <<= -1
  27: (6c) w3 <<= w9
  28: (77) r1 >>= 7
  29: (7f) r1 >>= r2
  30: (74) w3 >>= -1
  31: (7c) w3 >>= w9
  32: (97) r1 %= 7
  33: (9f) r1 %= r2
  34: (94) w3 %= -1
  35: (9c) w3 %= w9
  36: (a7) r1 ^= 7
  37: (af) r1 ^= r2
  38: (a4) w3 ^= -1
  39: (ac) w3 ^= w9
  40: (b7) r1 = 7
  41: (bf) r1 = r2
  42: (b4) w3 = -1
  43: (bc) w3 = w9
  44: (c7) r1 s>>= 7
  45: (cf) r1 s>>= r2
  46: (c4) w3 s>>= -1
  47: (cc) w3 s>>= w9
; unary: neg and byte swaps
  48: (87) r1 = -r1
  49: (84) w1 = -w1
  50: (dc) r2 = be16 r2
  51: (dc) r2 = be32 r2
  52: (dc) r2 = be64 r2
  53: (d4) r2 = le16 r2
; loads and stores of every width
  54: (61) r1 = *(u32 *)(r6 +76)
  55: (63) *(u32 *)(r10 -8) = r1
  56: (62) *(u32 *)(r10 -16) = -3
  57: (69) r1 = *(u16 *)(r6 +76)
  58: (6b) *(u16 *)(r10 -8) = r1
  59: (6a) *(u16 *)(r10 -16) = -3
  60: (71) r1 = *(u8 *)(r6 +76)
  61: (73) *(u8 *)(r10 -8) = r1
  62: (72) *(u8 *)(r10 -16) = -3
  63: (79) r1 = *(u64 *)(r6 +76)
  64: (7b) *(u64 *)(r10 -8) = r1
  65: (7a) *(u64 *)(r10 -16) = -3
  66: (db) lock *(u64 *)(r0 +0) += r1
  67: (c3) lock *(u32 *)(r0 +8) += w1
; 64-bit immediates and a map
  68: (18) r1 = 0x1122334455667788 ll
  70: (18) r2 = 0xffffffffffffffff ll
  72: (18) r1 = map[zoo_map]
; conditional jumps, 64 and 32 bit, immediate and register
  74: (15) if r1 == 0x6 goto +47 <end>
  75: (1d) if r1 == r2 goto +46 <end>
  76: (16) if w1 == 0xfffffffe goto -77 <top>
  77: (1e) if w1 == w2 goto -78 <top>
  78: (25) if r1 > 0x6 goto +43 <end>
  79: (2d) if r1 > r2 goto +42 <end>
  80: (26) if w1 > 0xfffffffe goto -81 <top>
  81: (2e) if w1 > w2 goto -82 <top>
  82: (35) if r1 >= 0x6 goto +39 <end>
  83: (3d) if r1 >= r2 goto +38 <end>
  84: (36) if w1 >= 0xfffffffe goto -85 <top>
  85: (3e) if w1 >= w2 goto -86 <top>
  86: (45) if r1 & 0x6 goto +35 <end>
  87: (4d) if r1 & r2 goto +34 <end>
  88: (46) if w1 & 0xfffffffe goto -89 <top>
  89: (4e) if w1 & w2 goto -90 <top>
  90: (55) if r1 != 0x6 goto +31 <end>
  91: (5d) if r1 != r2 goto +30 <end>
  92: (56) if w1 != 0xfffffffe goto -93 <top>
  93: (5e) if w1 != w2 goto -94 <top>
  94: (65) if r1 s> 0x6 goto +27 <end>
  95: (6d) if r1 s> r2 goto +26 <end>
  96: (66) if w1 s> 0xfffffffe goto -97 <top>
  97: (6e) if w1 s> w2 goto -98 <top>
  98: (75) if r1 s>= 0x6 goto +23 <end>
  99: (7d) if r1 s>= r2 goto +22 <end>
 100: (76) if w1 s>= 0xfffffffe goto -101 <top>
 101: (7e) if w1 s>= w2 goto -102 <top>
 102: (a5) if r1 < 0x6 goto +19 <end>
 103: (ad) if r1 < r2 goto +18 <end>
 104: (a6) if w1 < 0xfffffffe goto -105 <top>
 105: (ae) if w1 < w2 goto -106 <top>
 106: (b5) if r1 <= 0x6 goto +15 <end>
 107: (bd) if r1 <= r2 goto +14 <end>
 108: (b6) if w1 <= 0xfffffffe goto -109 <top>
 109: (be) if w1 <= w2 goto -110 <top>
 110: (c5) if r1 s< 0x6 goto +11 <end>
 111: (cd) if r1 s< r2 goto +10 <end>
 112: (c6) if w1 s< 0xfffffffe goto -113 <top>
 113: (ce) if w1 s< w2 goto -114 <top>
 114: (d5) if r1 s<= 0x6 goto +7 <end>
 115: (dd) if r1 s<= r2 goto +6 <end>
 116: (d6) if w1 s<= 0xfffffffe goto -117 <top>
 117: (de) if w1 s<= w2 goto -118 <top>
 118: (05) goto -119 <top>
 119: (85) call bpf_map_lookup_elem#1
 120: (85) call bpf_tail_call#12
 121: (85) call #999
end:
; r0 = 0
 122: (b7) r0 = 0
 123: (95) exit
