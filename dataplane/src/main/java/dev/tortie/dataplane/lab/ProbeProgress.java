package dev.tortie.dataplane.lab;

/** Told about every finished probe of a {@link Prober#probeAll} run, on the probing thread, in completion order. */
@FunctionalInterface
public interface ProbeProgress {
    ProbeProgress NONE = (result, completed, total) -> {};

    void onResult(ProbeResult result, int completed, int total);
}
