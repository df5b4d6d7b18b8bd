package dev.tortie.dataplane;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Kernel object names: one place so every backend, the lab and the agent agree. */
public final class Names {
    /** Calico's default workload interface prefix. */
    public static final String DEFAULT_INTERFACE_PREFIX = "cali";
    /** Every run-scoped object name starts with this, so leftovers are recognisable and sweepable. */
    public static final String PROJECT = "tortie";

    private Names() {}

    /**
     * The host-side interface of a pod: prefix + the first 11 hex chars of SHA-1("namespace.pod"), as Calico's
     * VethNameForWorkload computes it (at most 15 chars for the default prefix).
     */
    public static String workloadInterface(String prefix, String namespace, String pod) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-1").digest((namespace + "." + pod).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return prefix + hex.substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-1", e);
        }
    }
}
