; endpoint app/web ingress policy, attached at tc egress of its host-side interface
; program tti_ba1743a7bb9: 454 insns, 478 slots; maps: tt_ct_v4, tt_flows, tt_flow_lost, tt_rule_ctrs, tt_ipsets_v4
; policy program of app/web ingress (egress hook)
; r6 = skb, r7 = data, r8 = data_end, r9 = L4 header
   0: (bf) r6 = r1
   1: (61) r7 = *(u32 *)(r6 +76)
   2: (61) r8 = *(u32 *)(r6 +80)
; Ethernet: IPv4 is policed; ARP passes; IPv6 and other ethertypes drop
   3: (bf) r2 = r7
   4: (07) r2 += 14
   5: (2d) if r2 > r8 goto +14 <malformed>
   6: (69) r2 = *(u16 *)(r7 +12)
   7: (dc) r2 = be16 r2
   8: (15) if r2 == 0x800 goto +17 <ipv4>
   9: (15) if r2 == 0x806 goto +4 <arp>
  10: (15) if r2 == 0x86dd goto +6 <ipv6>
; -> drop [endpoint/app/web/ingress/other-ethertype 0xabb39118e17b555d]
  11: (18) r1 = 0xabb39118e17b555d ll
  13: (05) goto +352 <far0_drop>
arp:
; -> accept untracked [endpoint/app/web/ingress/arp 0xe2c42e99dc28ce6b]
  14: (18) r1 = 0xe2c42e99dc28ce6b ll
  16: (05) goto +347 <far0_accept_untracked>
ipv6:
; -> drop [endpoint/app/web/ingress/ipv6 0x94fa3a2f97823143]
  17: (18) r1 = 0x94fa3a2f97823143 ll
  19: (05) goto +346 <far0_drop>
malformed:
; -> drop [endpoint/app/web/ingress/malformed 0x51402c8030292b07]
  20: (18) r1 = 0x51402c8030292b07 ll
  22: (05) goto +343 <far0_drop>
fragment:
; -> accept untracked [endpoint/app/web/ingress/fragment 0x608c551a8b79498a]
  23: (18) r1 = 0x608c551a8b79498a ll
  25: (05) goto +338 <far0_accept_untracked>
ipv4:
; IPv4 header: version 4, IHL >= 5, r9 = L4 header
  26: (bf) r2 = r7
  27: (07) r2 += 34
  28: (2d) if r2 > r8 goto -9 <malformed>
  29: (71) r3 = *(u8 *)(r7 +14)
  30: (bf) r2 = r3
  31: (77) r2 >>= 4
  32: (55) if r2 != 0x4 goto -13 <malformed>
  33: (57) r3 &= 15
  34: (a5) if r3 < 0x5 goto -15 <malformed>
  35: (67) r3 <<= 2
  36: (bf) r9 = r7
  37: (07) r9 += 14
  38: (0f) r9 += r3
; non-first fragments carry no L4 header
  39: (69) r2 = *(u16 *)(r7 +20)
  40: (dc) r2 = be16 r2
  41: (57) r2 &= 8191
  42: (55) if r2 != 0x0 goto -20 <fragment>
; addresses: network order for keys, host order for CIDR tests
  43: (61) r2 = *(u32 *)(r7 +26)
  44: (63) *(u32 *)(r10 -60) = r2
  45: (dc) r2 = be32 r2
  46: (63) *(u32 *)(r10 -44) = r2
  47: (61) r2 = *(u32 *)(r7 +30)
  48: (63) *(u32 *)(r10 -68) = r2
  49: (dc) r2 = be32 r2
  50: (63) *(u32 *)(r10 -52) = r2
; L4 fields default to 0
  51: (b7) r2 = 0
  52: (63) *(u32 *)(r10 -12) = r2
  53: (63) *(u32 *)(r10 -20) = r2
  54: (63) *(u32 *)(r10 -28) = r2
  55: (63) *(u32 *)(r10 -36) = r2
  56: (6b) *(u16 *)(r10 -74) = r2
  57: (6b) *(u16 *)(r10 -78) = r2
  58: (73) *(u8 *)(r10 -81) = r2
  59: (73) *(u8 *)(r10 -84) = r2
  60: (73) *(u8 *)(r10 -82) = r2
  61: (73) *(u8 *)(r10 -83) = r2
; IP-set lookup key: prefix length 120, the packet's protocol
  62: (b7) r3 = 120
  63: (63) *(u32 *)(r10 -180) = r3
  64: (63) *(u32 *)(r10 -176) = r2
  65: (63) *(u32 *)(r10 -172) = r2
  66: (63) *(u32 *)(r10 -168) = r2
  67: (6b) *(u16 *)(r10 -164) = r2
  68: (73) *(u8 *)(r10 -161) = r2
  69: (71) r4 = *(u8 *)(r7 +23)
  70: (63) *(u32 *)(r10 -4) = r4
  71: (73) *(u8 *)(r10 -162) = r4
; conntrack key: protocol, pad; default timeout
  72: (63) *(u32 *)(r10 -116) = r2
  73: (73) *(u8 *)(r10 -116) = r4
  74: (18) r2 = 0xdf8475800 ll
  76: (7b) *(u64 *)(r10 -112) = r2
; r4 = protocol
  77: (15) if r4 == 0x6 goto +5 <tcp>
  78: (15) if r4 == 0x11 goto +17 <udp>
  79: (15) if r4 == 0x84 goto +19 <ports>
  80: (15) if r4 == 0x1 goto +30 <icmp>
  81: (15) if r4 == 0x3a goto +32 <icmp_fields>
  82: (05) goto +123 <tuple>
tcp:
; TCP: ports and flags (a pure SYN opens a connection)
  83: (bf) r2 = r9
  84: (07) r2 += 14
  85: (2d) if r2 > r8 goto -66 <malformed>
  86: (71) r2 = *(u8 *)(r9 +13)
  87: (73) *(u8 *)(r10 -81) = r2
  88: (57) r2 &= 18
  89: (55) if r2 != 0x2 goto +2 <tcp_timeout>
  90: (b7) r2 = 1
  91: (73) *(u8 *)(r10 -84) = r2
tcp_timeout:
  92: (18) r2 = 0x34630b8a000 ll
  94: (7b) *(u64 *)(r10 -112) = r2
  95: (05) goto +3 <ports>
udp:
  96: (18) r2 = 0xdf8475800 ll
  98: (7b) *(u64 *)(r10 -112) = r2
ports:
; TCP, UDP, SCTP: ports
  99: (bf) r2 = r9
 100: (07) r2 += 4
 101: (2d) if r2 > r8 goto -82 <malformed>
 102: (69) r2 = *(u16 *)(r9 +0)
 103: (6b) *(u16 *)(r10 -74) = r2
 104: (dc) r2 = be16 r2
 105: (63) *(u32 *)(r10 -12) = r2
 106: (69) r2 = *(u16 *)(r9 +2)
 107: (6b) *(u16 *)(r10 -78) = r2
 108: (dc) r2 = be16 r2
 109: (63) *(u32 *)(r10 -20) = r2
 110: (05) goto +95 <tuple>
icmp:
 111: (18) r2 = 0x12a05f200 ll
 113: (7b) *(u64 *)(r10 -112) = r2
icmp_fields:
; ICMP: type and code
 114: (bf) r2 = r9
 115: (07) r2 += 8
 116: (2d) if r2 > r8 goto -97 <malformed>
 117: (71) r2 = *(u8 *)(r9 +0)
 118: (63) *(u32 *)(r10 -28) = r2
 119: (71) r3 = *(u8 *)(r9 +1)
 120: (63) *(u32 *)(r10 -36) = r3
 121: (55) if r4 != 0x1 goto +84 <tuple>
 122: (15) if r2 == 0x0 goto +5 <icmp_echo>
 123: (15) if r2 == 0x8 goto +4 <icmp_echo>
 124: (15) if r2 == 0x3 goto +26 <icmp_error>
 125: (15) if r2 == 0xb goto +25 <icmp_error>
 126: (15) if r2 == 0xc goto +24 <icmp_error>
 127: (05) goto +78 <tuple>
icmp_echo:
; echo request and reply share the entry: the identifier is both ports
 128: (61) r1 = *(u32 *)(r10 -60)
 129: (61) r2 = *(u32 *)(r10 -68)
 130: (69) r3 = *(u16 *)(r9 +4)
 131: (bf) r4 = r3
 132: (b7) r5 = 1
 133: (73) *(u8 *)(r10 -116) = r5
 134: (ad) if r1 < r2 goto +9 <key_src_first0>
 135: (2d) if r1 > r2 goto +1 <key_dst_first2>
 136: (bd) if r3 <= r4 goto +7 <key_src_first0>
key_dst_first2:
 137: (63) *(u32 *)(r10 -128) = r2
 138: (63) *(u32 *)(r10 -124) = r1
 139: (6b) *(u16 *)(r10 -120) = r4
 140: (6b) *(u16 *)(r10 -118) = r3
 141: (b7) r0 = 1
 142: (73) *(u8 *)(r10 -82) = r0
 143: (05) goto +6 <key_done1>
key_src_first0:
 144: (63) *(u32 *)(r10 -128) = r1
 145: (63) *(u32 *)(r10 -124) = r2
 146: (6b) *(u16 *)(r10 -120) = r3
 147: (6b) *(u16 *)(r10 -118) = r4
 148: (b7) r0 = 0
 149: (73) *(u8 *)(r10 -82) = r0
key_done1:
 150: (05) goto +77 <ct_check>
icmp_error:
; ICMP error: related to the connection of the packet it quotes (untracked if unreadable)
 151: (b7) r2 = 1
 152: (73) *(u8 *)(r10 -83) = r2
 153: (bf) r2 = r9
 154: (07) r2 += 28
 155: (2d) if r2 > r8 goto +47 <icmp_untracked>
 156: (71) r3 = *(u8 *)(r9 +8)
 157: (57) r3 &= 15
 158: (a5) if r3 < 0x5 goto +44 <icmp_untracked>
 159: (67) r3 <<= 2
 160: (71) r5 = *(u8 *)(r9 +17)
 161: (61) r1 = *(u32 *)(r9 +20)
 162: (61) r2 = *(u32 *)(r9 +24)
 163: (07) r9 += 8
 164: (0f) r9 += r3
 165: (b7) r3 = 0
 166: (b7) r4 = 0
 167: (15) if r5 == 0x6 goto +12 <inner_ports>
 168: (15) if r5 == 0x11 goto +11 <inner_ports>
 169: (15) if r5 == 0x84 goto +10 <inner_ports>
 170: (55) if r5 != 0x1 goto +14 <inner_tuple>
 171: (bf) r0 = r9
 172: (07) r0 += 8
 173: (2d) if r0 > r8 goto +29 <icmp_untracked>
 174: (71) r0 = *(u8 *)(r9 +0)
 175: (15) if r0 == 0x8 goto +1 <inner_echo>
 176: (55) if r0 != 0x0 goto +8 <inner_tuple>
inner_echo:
 177: (69) r3 = *(u16 *)(r9 +4)
 178: (bf) r4 = r3
 179: (05) goto +5 <inner_tuple>
inner_ports:
 180: (bf) r0 = r9
 181: (07) r0 += 4
 182: (2d) if r0 > r8 goto +20 <icmp_untracked>
 183: (69) r3 = *(u16 *)(r9 +0)
 184: (69) r4 = *(u16 *)(r9 +2)
inner_tuple:
; the error travels against the quoted packet: flip the orientation
 185: (73) *(u8 *)(r10 -116) = r5
 186: (ad) if r1 < r2 goto +9 <key_src_first3>
 187: (2d) if r1 > r2 goto +1 <key_dst_first5>
 188: (bd) if r3 <= r4 goto +7 <key_src_first3>
key_dst_first5:
 189: (63) *(u32 *)(r10 -128) = r2
 190: (63) *(u32 *)(r10 -124) = r1
 191: (6b) *(u16 *)(r10 -120) = r4
 192: (6b) *(u16 *)(r10 -118) = r3
 193: (b7) r0 = 0
 194: (73) *(u8 *)(r10 -82) = r0
 195: (05) goto +6 <key_done4>
key_src_first3:
 196: (63) *(u32 *)(r10 -128) = r1
 197: (63) *(u32 *)(r10 -124) = r2
 198: (6b) *(u16 *)(r10 -120) = r3
 199: (6b) *(u16 *)(r10 -118) = r4
 200: (b7) r0 = 1
 201: (73) *(u8 *)(r10 -82) = r0
key_done4:
 202: (05) goto +25 <ct_check>
icmp_untracked:
 203: (b7) r2 = 2
 204: (73) *(u8 *)(r10 -83) = r2
 205: (05) goto +103 <policy>
tuple:
; connection key from the packet's 5-tuple
 206: (61) r1 = *(u32 *)(r10 -60)
 207: (61) r2 = *(u32 *)(r10 -68)
 208: (69) r3 = *(u16 *)(r10 -74)
 209: (69) r4 = *(u16 *)(r10 -78)
 210: (61) r5 = *(u32 *)(r10 -4)
 211: (73) *(u8 *)(r10 -116) = r5
 212: (ad) if r1 < r2 goto +9 <key_src_first6>
 213: (2d) if r1 > r2 goto +1 <key_dst_first8>
 214: (bd) if r3 <= r4 goto +7 <key_src_first6>
key_dst_first8:
 215: (63) *(u32 *)(r10 -128) = r2
 216: (63) *(u32 *)(r10 -124) = r1
 217: (6b) *(u16 *)(r10 -120) = r4
 218: (6b) *(u16 *)(r10 -118) = r3
 219: (b7) r0 = 1
 220: (73) *(u8 *)(r10 -82) = r0
 221: (05) goto +6 <key_done7>
key_src_first6:
 222: (63) *(u32 *)(r10 -128) = r1
 223: (63) *(u32 *)(r10 -124) = r2
 224: (6b) *(u16 *)(r10 -120) = r3
 225: (6b) *(u16 *)(r10 -118) = r4
 226: (b7) r0 = 0
 227: (73) *(u8 *)(r10 -82) = r0
key_done7:
ct_check:
; conntrack: an entry that approves this packet's direction accepts it before policy
 228: (18) r1 = map[tt_ct_v4]
 230: (bf) r2 = r10
 231: (07) r2 += -128
 232: (85) call bpf_map_lookup_elem#1
 233: (15) if r0 == 0x0 goto +75 <policy>
 234: (bf) r9 = r0
 235: (85) call bpf_ktime_get_ns#5
 236: (7b) *(u64 *)(r10 -104) = r0
 237: (79) r1 = *(u64 *)(r9 +0)
; expired
 238: (ad) if r1 < r0 goto +70 <policy>
 239: (61) r3 = *(u32 *)(r9 +8)
; a pure SYN on a closed connection starts a new one
 240: (71) r4 = *(u8 *)(r10 -84)
 241: (15) if r4 == 0x0 goto +6 <ct_direction>
 242: (bf) r4 = r3
 243: (57) r4 &= 8
 244: (55) if r4 != 0x0 goto +64 <policy>
 245: (bf) r4 = r3
 246: (57) r4 &= 48
 247: (15) if r4 == 0x30 goto +61 <policy>
ct_direction:
; forward (packet oriented like the opener) needs 0x4, reply needs 0x2
 248: (bf) r4 = r3
 249: (57) r4 &= 1
 250: (71) r5 = *(u8 *)(r10 -82)
 251: (b7) r2 = 2
 252: (5d) if r4 != r5 goto +1 <ct_required>
 253: (b7) r2 = 4
ct_required:
; between two local endpoints both must have approved
 254: (bf) r4 = r3
 255: (57) r4 &= 192
 256: (55) if r4 != 0xc0 goto +1 <ct_approved>
 257: (b7) r2 = 6
ct_approved:
 258: (bf) r4 = r3
 259: (5f) r4 &= r2
 260: (5d) if r4 != r2 goto +48 <policy>
; established: TCP RST and FIN bookkeeping, then refresh (related ICMP errors change nothing)
 261: (71) r1 = *(u8 *)(r10 -83)
 262: (55) if r1 != 0x0 goto +43 <ct_established>
 263: (71) r1 = *(u8 *)(r10 -81)
 264: (bf) r2 = r1
 265: (57) r2 &= 4
 266: (15) if r2 == 0x0 goto +11 <ct_fin>
 267: (bf) r2 = r3
 268: (57) r2 &= 8
 269: (55) if r2 != 0x0 goto +36 <ct_established>
 270: (47) r3 |= 8
 271: (63) *(u32 *)(r9 +8) = r3
 272: (79) r1 = *(u64 *)(r10 -104)
 273: (18) r2 = 0x77359400 ll
 275: (0f) r1 += r2
 276: (7b) *(u64 *)(r9 +0) = r1
 277: (05) goto +28 <ct_established>
ct_fin:
 278: (bf) r2 = r1
 279: (57) r2 &= 1
 280: (15) if r2 == 0x0 goto +15 <ct_refresh>
 281: (b7) r2 = 16
 282: (71) r4 = *(u8 *)(r10 -82)
 283: (15) if r4 == 0x0 goto +1 <ct_fin_side>
 284: (b7) r2 = 32
ct_fin_side:
 285: (4f) r3 |= r2
 286: (63) *(u32 *)(r9 +8) = r3
 287: (bf) r2 = r3
 288: (57) r2 &= 48
 289: (55) if r2 != 0x30 goto +6 <ct_refresh>
 290: (79) r1 = *(u64 *)(r10 -104)
 291: (18) r2 = 0x6fc23ac00 ll
 293: (0f) r1 += r2
 294: (7b) *(u64 *)(r9 +0) = r1
 295: (05) goto +10 <ct_established>
ct_refresh:
 296: (bf) r2 = r3
 297: (57) r2 &= 8
 298: (55) if r2 != 0x0 goto +7 <ct_established>
 299: (bf) r2 = r3
 300: (57) r2 &= 48
 301: (15) if r2 == 0x30 goto +4 <ct_established>
 302: (79) r1 = *(u64 *)(r10 -104)
 303: (79) r2 = *(u64 *)(r10 -112)
 304: (0f) r1 += r2
 305: (7b) *(u64 *)(r9 +0) = r1
ct_established:
; -> accept untracked [endpoint/app/web/ingress/established 0x58aa0f2d1501c778]
 306: (18) r1 = 0x58aa0f2d1501c778 ll
 308: (05) goto +55 <far0_accept_untracked>
policy:
; tier default (default Deny)
; policy knp/app/default-deny-ingress
; end of tier default: Deny
; -> deny [tier/default/ingress/end 0x1e7840806c2a2ad5]
 309: (18) r1 = 0x1e7840806c2a2ad5 ll
 311: (05) goto +0 <far0_deny>
deny:
far0_deny:
; (unreachable, left out) profile kns.app
; (unreachable, left out) rule pro/kns.app/ingress/0 Allow [0x0474fa7b0cfec76f]: allow all traffic (namespace profile: no policy isolates this direction)
; (unreachable, left out) -> accept [pro/kns.app/ingress/0 0x0474fa7b0cfec76f]
; (unreachable, left out) profile ksa.app.default (no rules)
; (unreachable, left out) no tier decided and no profile allowed
; (unreachable, left out) -> deny [endpoint/app/web/ingress/no-profile 0x5921806df3986b89]
; (unreachable, left out) footer: r1 = deciding id; r9 = 0 allow and track, 1 allow, 2 drop
; (7 unreachable instructions left out)
 312: (b7) r9 = 2
 313: (72) *(u8 *)(r10 -195) = 1
flow_event:
; flow event: rule id, addresses, ports, protocol, verdict, direction, time -> ring buffer
 314: (7b) *(u64 *)(r10 -96) = r1
 315: (7b) *(u64 *)(r10 -216) = r1
 316: (61) r2 = *(u32 *)(r10 -60)
 317: (63) *(u32 *)(r10 -208) = r2
 318: (61) r2 = *(u32 *)(r10 -68)
 319: (63) *(u32 *)(r10 -204) = r2
 320: (69) r2 = *(u16 *)(r10 -74)
 321: (6b) *(u16 *)(r10 -200) = r2
 322: (69) r2 = *(u16 *)(r10 -78)
 323: (6b) *(u16 *)(r10 -198) = r2
 324: (61) r2 = *(u32 *)(r10 -4)
 325: (73) *(u8 *)(r10 -196) = r2
 326: (72) *(u8 *)(r10 -194) = 0
 327: (72) *(u8 *)(r10 -193) = 0
 328: (85) call bpf_ktime_get_ns#5
 329: (7b) *(u64 *)(r10 -192) = r0
 330: (18) r1 = map[tt_flows]
 332: (bf) r2 = r10
 333: (07) r2 += -216
 334: (b7) r3 = 32
 335: (b7) r4 = 0
 336: (85) call bpf_ringbuf_output#130
 337: (15) if r0 == 0x0 goto +24 <flow_event_done>
; ring buffer full: count the lost event under its rule id
 338: (18) r1 = map[tt_flow_lost]
 340: (bf) r2 = r10
 341: (07) r2 += -96
 342: (85) call bpf_map_lookup_elem#1
 343: (55) if r0 != 0x0 goto +15 <flow_lost_bump>
 344: (7a) *(u64 *)(r10 -160) = 0
 345: (18) r1 = map[tt_flow_lost]
 347: (bf) r2 = r10
 348: (07) r2 += -96
 349: (bf) r3 = r10
 350: (07) r3 += -160
 351: (b7) r4 = 1
 352: (85) call bpf_map_update_elem#2
 353: (18) r1 = map[tt_flow_lost]
 355: (bf) r2 = r10
 356: (07) r2 += -96
 357: (85) call bpf_map_lookup_elem#1
 358: (15) if r0 == 0x0 goto +3 <flow_event_done>
flow_lost_bump:
 359: (79) r1 = *(u64 *)(r0 +0)
 360: (07) r1 += 1
 361: (7b) *(u64 *)(r0 +0) = r1
flow_event_done:
 362: (79) r1 = *(u64 *)(r10 -96)
 363: (05) goto +3 <record>
accept_untracked:
far0_accept_untracked:
 364: (b7) r9 = 1
 365: (05) goto +1 <record>
drop:
far0_drop:
 366: (b7) r9 = 2
record:
; record the deciding id in skb->cb[0..1] and count it
 367: (7b) *(u64 *)(r10 -96) = r1
 368: (63) *(u32 *)(r6 +48) = r1
 369: (77) r1 >>= 32
 370: (63) *(u32 *)(r6 +52) = r1
 371: (18) r1 = map[tt_rule_ctrs]
 373: (bf) r2 = r10
 374: (07) r2 += -96
 375: (85) call bpf_map_lookup_elem#1
 376: (55) if r0 != 0x0 goto +16 <bump>
; first hit of an id the loader did not create: insert zero counters
 377: (7a) *(u64 *)(r10 -160) = 0
 378: (7a) *(u64 *)(r10 -152) = 0
 379: (18) r1 = map[tt_rule_ctrs]
 381: (bf) r2 = r10
 382: (07) r2 += -96
 383: (bf) r3 = r10
 384: (07) r3 += -160
 385: (b7) r4 = 1
 386: (85) call bpf_map_update_elem#2
 387: (18) r1 = map[tt_rule_ctrs]
 389: (bf) r2 = r10
 390: (07) r2 += -96
 391: (85) call bpf_map_lookup_elem#1
 392: (15) if r0 == 0x0 goto +7 <counted>
bump:
 393: (79) r1 = *(u64 *)(r0 +0)
 394: (07) r1 += 1
 395: (7b) *(u64 *)(r0 +0) = r1
 396: (61) r1 = *(u32 *)(r6 +0)
 397: (79) r2 = *(u64 *)(r0 +8)
 398: (0f) r2 += r1
 399: (7b) *(u64 *)(r0 +8) = r2
counted:
 400: (15) if r9 == 0x2 goto +75 <verdict_drop>
 401: (15) if r9 == 0x1 goto +72 <verdict_ok>
; conntrack: policy allowed, so approve this direction (0x4)
 402: (71) r1 = *(u8 *)(r10 -83)
 403: (55) if r1 != 0x0 goto +70 <verdict_ok>
 404: (85) call bpf_ktime_get_ns#5
 405: (7b) *(u64 *)(r10 -104) = r0
 406: (18) r1 = map[tt_ct_v4]
 408: (bf) r2 = r10
 409: (07) r2 += -128
 410: (85) call bpf_map_lookup_elem#1
 411: (15) if r0 == 0x0 goto +30 <ct_new>
 412: (bf) r9 = r0
 413: (79) r1 = *(u64 *)(r9 +0)
 414: (79) r2 = *(u64 *)(r10 -104)
 415: (ad) if r1 < r2 goto +26 <ct_new>
 416: (61) r3 = *(u32 *)(r9 +8)
 417: (71) r4 = *(u8 *)(r10 -84)
 418: (15) if r4 == 0x0 goto +6 <ct_approve>
 419: (bf) r4 = r3
 420: (57) r4 &= 8
 421: (55) if r4 != 0x0 goto +20 <ct_new>
 422: (bf) r4 = r3
 423: (57) r4 &= 48
 424: (15) if r4 == 0x30 goto +17 <ct_new>
ct_approve:
; against the opener's direction: a connection not established for it starts over
 425: (bf) r4 = r3
 426: (57) r4 &= 1
 427: (71) r5 = *(u8 *)(r10 -82)
 428: (5d) if r4 != r5 goto +13 <ct_new>
 429: (47) r3 |= 4
 430: (63) *(u32 *)(r9 +8) = r3
 431: (bf) r2 = r3
 432: (57) r2 &= 8
 433: (55) if r2 != 0x0 goto +40 <verdict_ok>
 434: (bf) r2 = r3
 435: (57) r2 &= 48
 436: (15) if r2 == 0x30 goto +37 <verdict_ok>
 437: (79) r1 = *(u64 *)(r10 -104)
 438: (79) r2 = *(u64 *)(r10 -112)
 439: (0f) r1 += r2
 440: (7b) *(u64 *)(r9 +0) = r1
 441: (05) goto +32 <verdict_ok>
ct_new:
; new entry, opened by this packet (a RST opens nothing)
 442: (71) r1 = *(u8 *)(r10 -81)
 443: (57) r1 &= 4
 444: (55) if r1 != 0x0 goto +29 <verdict_ok>
; is the other end an endpoint of this node too?
 445: (62) *(u32 *)(r10 -176) = -1174799588
 446: (62) *(u32 *)(r10 -172) = 174043061
 447: (61) r1 = *(u32 *)(r10 -60)
 448: (63) *(u32 *)(r10 -168) = r1
 449: (18) r1 = map[tt_ipsets_v4]
 451: (bf) r2 = r10
 452: (07) r2 += -180
 453: (85) call bpf_map_lookup_elem#1
 454: (b7) r2 = 128
 455: (15) if r0 == 0x0 goto +1 <ct_flags>
 456: (b7) r2 = 192
ct_flags:
 457: (71) r1 = *(u8 *)(r10 -82)
 458: (47) r1 |= 4
 459: (4f) r1 |= r2
 460: (63) *(u32 *)(r10 -136) = r1
 461: (62) *(u32 *)(r10 -132) = 0
 462: (79) r1 = *(u64 *)(r10 -104)
 463: (79) r2 = *(u64 *)(r10 -112)
 464: (0f) r1 += r2
 465: (7b) *(u64 *)(r10 -144) = r1
 466: (18) r1 = map[tt_ct_v4]
 468: (bf) r2 = r10
 469: (07) r2 += -128
 470: (bf) r3 = r10
 471: (07) r3 += -144
 472: (b7) r4 = 0
 473: (85) call bpf_map_update_elem#2
verdict_ok:
 474: (b7) r0 = 0
 475: (95) exit
verdict_drop:
 476: (b7) r0 = 2
 477: (95) exit
