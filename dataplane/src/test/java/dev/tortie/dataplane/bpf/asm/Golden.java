package dev.tortie.dataplane.bpf.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden listings under src/test/resources/golden/bpf; {@code -Dgolden.update=true} rewrites them. */
public final class Golden {
    /** Surefire runs in the module directory. */
    public static final Path DIR = Path.of("src/test/resources/golden/bpf");

    private Golden() {}

    public static void assertListing(String scenario, String actual) throws IOException {
        Path file = DIR.resolve(scenario + ".asm");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(file)
                .as("golden file %s is missing; run with -Dgolden.update=true and review it", file)
                .exists();
        assertThat(actual)
                .as("listing differs from %s (regenerate with -Dgolden.update=true and review the diff)", file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
