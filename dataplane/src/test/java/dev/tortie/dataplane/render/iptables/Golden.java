package dev.tortie.dataplane.render.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files under src/test/resources/golden; regenerate with -Dgolden.update=true and review the diff. */
public final class Golden {
    private Golden() {}

    public static void check(String name, String actual) {
        Path file = Path.of("src", "test", "resources", "golden", name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            assertThat(Files.exists(file))
                    .as("golden file %s is missing: run with -Dgolden.update=true and review it", file)
                    .isTrue();
            assertThat(actual)
                    .as("golden %s (regenerate with -Dgolden.update=true)", name)
                    .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
