package dev.tortie.dataplane.bpf.sys;

/** A map as the kernel describes it ({@code struct bpf_map_info}). */
public record MapInfo(int id, int type, String name, int keySize, int valueSize, int maxEntries, int flags) {}
