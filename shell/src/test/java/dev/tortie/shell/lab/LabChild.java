package dev.tortie.shell.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A lab in a child JVM for the crash test: starts a lab with the article loaded, prints {@code READY <run prefix>},
 * then waits to be killed.
 */
public final class LabChild {
    private LabChild() {}

    public static void main(String[] args) throws Exception {
        Lab lab = Lab.start(Lab.Options.defaults(), line -> System.err.println("lab: " + line));
        lab.load(List.of(Path.of(args[0])), line -> {}, Duration.ofMinutes(2));
        System.out.println("READY " + lab.network().prefix().value());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
