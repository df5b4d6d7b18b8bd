; program tortie_demo: 59 insns, 61 slots; maps: ip_sets, counters
; r6 = ctx, r7 = data, r8 = data_end
   0: (bf) r6 = r1
   1: (61) r7 = *(u32 *)(r6 +76)
   2: (61) r8 = *(u32 *)(r6 +80)
; bounds: Ethernet + minimal IPv4 header
   3: (bf) r2 = r7
   4: (07) r2 += 34
   5: (2d) if r2 > r8 goto +53 <accept>
; ethertype IPv4
   6: (69) r2 = *(u16 *)(r7 +12)
   7: (dc) r2 = be16 r2
   8: (55) if r2 != 0x800 goto +50 <accept>
; version 4, IHL >= 5; r3 = IP header length in bytes (20-60)
   9: (71) r3 = *(u8 *)(r7 +14)
  10: (bf) r2 = r3
  11: (77) r2 >>= 4
  12: (55) if r2 != 0x4 goto +46 <accept>
  13: (57) r3 &= 15
  14: (a5) if r3 < 0x5 goto +44 <accept>
  15: (67) r3 <<= 2
; non-first fragments carry no ports
  16: (69) r2 = *(u16 *)(r7 +20)
  17: (dc) r2 = be16 r2
  18: (57) r2 &= 8191
  19: (55) if r2 != 0x0 goto +39 <accept>
; r4 = protocol: TCP or UDP
  20: (71) r4 = *(u8 *)(r7 +23)
  21: (15) if r4 == 0x6 goto +1 <l4>
  22: (55) if r4 != 0x11 goto +36 <accept>
l4:
; r5 = L4 header; bounds: its first 4 bytes (ports)
  23: (bf) r5 = r7
  24: (07) r5 += 14
  25: (0f) r5 += r3
  26: (bf) r2 = r5
  27: (07) r2 += 4
  28: (2d) if r2 > r8 goto +30 <accept>
; key at fp-24: prefixlen 120, set id 0x419b20d155316bc4
  29: (62) *(u32 *)(r10 -24) = 120
  30: (62) *(u32 *)(r10 -20) = -786392255
  31: (62) *(u32 *)(r10 -16) = -999607979
; daddr, dport (network order), protocol, pad
  32: (61) r2 = *(u32 *)(r7 +30)
  33: (63) *(u32 *)(r10 -12) = r2
  34: (69) r2 = *(u16 *)(r5 +2)
  35: (6b) *(u16 *)(r10 -8) = r2
  36: (73) *(u8 *)(r10 -6) = r4
  37: (72) *(u8 *)(r10 -5) = 0
; r0 = bpf_map_lookup_elem(ip_sets, key)
  38: (18) r1 = map[ip_sets]
  40: (bf) r2 = r10
  41: (07) r2 += -24
  42: (85) call bpf_map_lookup_elem#1
  43: (b7) r9 = 0
  44: (15) if r0 == 0x0 goto +1 <count>
  45: (b7) r9 = 1
count:
; counters[r9] += 1 (per CPU, no atomics needed)
  46: (63) *(u32 *)(r10 -28) = r9
  47: (18) r1 = map[counters]
  49: (bf) r2 = r10
  50: (07) r2 += -28
  51: (85) call bpf_map_lookup_elem#1
  52: (15) if r0 == 0x0 goto +3 <verdict>
  53: (79) r1 = *(u64 *)(r0 +0)
  54: (07) r1 += 1
  55: (7b) *(u64 *)(r0 +0) = r1
verdict:
  56: (15) if r9 == 0x0 goto +2 <accept>
; in the deny set
  57: (b7) r0 = 2
  58: (95) exit
accept:
  59: (b7) r0 = 0
  60: (95) exit
