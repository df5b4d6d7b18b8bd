package dev.tortie.dataplane.bpf.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What kind of BPF object an fd refers to, read from {@code /proc/self/fdinfo} (map_type / prog_type / link_type). */
enum FdKind {
    MAP("map_type:"),
    PROGRAM("prog_type:"),
    LINK("link_type:");

    private final String marker;

    FdKind(String marker) {
        this.marker = marker;
    }

    static void require(int fd, FdKind expected, String source) {
        String info;
        try {
            info = Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fdinfo of " + source, e);
        }
        for (String line : info.split("\n")) {
            if (line.startsWith(expected.marker)) {
                return;
            }
        }
        throw new IllegalArgumentException(
                source + " is not a BPF " + expected.name().toLowerCase(java.util.Locale.ROOT));
    }
}
