package dev.tortie.shell.session;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether a live cluster is configured at all (a kubeconfig kubectl would find, or an in-cluster service account),
 * answered without loading the Kubernetes client, so the shell can fall back to the lab quickly.
 */
public final class ClusterConfigured {
    private ClusterConfigured() {}

    public static boolean any(Map<String, String> env) {
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            for (String part : list.split(File.pathSeparator)) {
                if (!part.isBlank() && Files.isRegularFile(Path.of(part))) {
                    return true;
                }
            }
            return false;
        }
        String home = env.get("HOME");
        if (home != null && Files.isRegularFile(Path.of(home, ".kube", "config"))) {
            return true;
        }
        return env.containsKey("KUBERNETES_SERVICE_HOST")
                && Files.isReadable(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    }
}
