package dev.tortie.dataplane.bpf.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The number of possible CPUs, which sizes per-CPU map values (as libbpf reads it). */
final class PossibleCpus {
    private static volatile int count;

    private PossibleCpus() {}

    static int count() {
        int c = count;
        if (c == 0) {
            try {
                c = parse(Files.readString(Path.of("/sys/devices/system/cpu/possible")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the possible CPUs", e);
            }
            count = c;
        }
        return c;
    }

    /** {@code 0-3,5,7-8} -> highest index + 1 (per-CPU maps are indexed by CPU number). */
    static int parse(String text) {
        int max = -1;
        for (String part : text.strip().split(",")) {
            int dash = part.indexOf('-');
            int last = Integer.parseInt(dash < 0 ? part : part.substring(dash + 1));
            max = Math.max(max, last);
        }
        return max + 1;
    }
}
