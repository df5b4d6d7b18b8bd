package dev.tortie.shell.kube;

import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.TortieException;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.ExecConfig;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and reads kubeconfig files the way kubectl does (an explicit file, else {@code KUBECONFIG}, else
 * {@code ~/.kube/config}, else the in-cluster service account), checks what fabric8 would silently paper over (an
 * unknown context falls back to the current one there), and builds the fabric8 {@link Config} through fabric8's own
 * kubeconfig code, so exec credential plugins ({@code aws eks get-token}) and token refresh work as usual.
 */
final class KubeConfigs {
    static final String IN_CLUSTER = "in-cluster";
    static final String NO_KUBECONFIG =
            "no cluster: no kubeconfig found (KUBECONFIG, ~/.kube/config) — use --snapshot PATH or --lab";
    private static final String SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /**
     * A resolved connection.
     *
     * @param origin the kubeconfig file(s), or "in-cluster service account"
     * @param user the kubeconfig user, null when none
     * @param exec the exec credential plugin command line, null when none
     */
    record Resolved(Config config, String context, String origin, String user, String exec) {}

    private KubeConfigs() {}

    /** Reads the kubeconfig chosen by {@code options} and {@code env}; throws a CLUSTER error naming the file. */
    static Resolved resolve(KubeOptions options, Map<String, String> env) {
        List<Path> files = files(options, env);
        if (files.isEmpty()) {
            if (env.containsKey("KUBERNETES_SERVICE_HOST") && Files.isReadable(Path.of(SERVICE_ACCOUNT_TOKEN))) {
                if (options.context() != null) {
                    throw cluster("context '" + options.context() + "' not found: running in-cluster with no"
                            + " kubeconfig (give one with --kubeconfig)");
                }
                return new Resolved(Config.autoConfigure(null), IN_CLUSTER, "in-cluster service account", null, null);
            }
            throw TortieException.usage(NO_KUBECONFIG);
        }
        String origin = String.join(
                File.pathSeparator, files.stream().map(Path::toString).toList());
        List<io.fabric8.kubernetes.api.model.Config> parsed = new ArrayList<>();
        for (Path file : files) {
            parsed.add(parse(file));
        }
        String context = options.context();
        NamedContext named = findContext(parsed, context, origin);
        String cluster = named.getContext().getCluster();
        NamedCluster namedCluster = find(parsed, cluster);
        if (cluster == null || namedCluster == null || namedCluster.getCluster() == null) {
            throw cluster("context '" + named.getName() + "' in " + origin + " refers to cluster '" + cluster
                    + "', which is not defined there");
        }
        String server = namedCluster.getCluster().getServer();
        if (server == null || server.isBlank()) {
            throw cluster("cluster '" + cluster + "' in " + origin + " has no server URL");
        }
        String user = named.getContext().getUser();
        String exec = null;
        AuthInfo auth = findUser(parsed, user);
        if (auth != null && auth.getExec() != null) {
            exec = checkExec(auth.getExec(), user, files, env);
        }
        Config config = Config.empty();
        try {
            KubeConfigUtils.merge(
                    config, named.getName(), parsed.toArray(new io.fabric8.kubernetes.api.model.Config[0]));
        } catch (RuntimeException e) {
            throw new TortieException(
                    ExitCode.CLUSTER,
                    "cannot use context '" + named.getName() + "' from " + origin + ": " + KubeErrors.rootMessage(e)
                            + (exec == null ? "" : " (exec credential plugin: " + exec + ")"),
                    e);
        }
        return new Resolved(config, named.getName(), origin, user, exec);
    }

    private static List<Path> files(KubeOptions options, Map<String, String> env) {
        if (options.kubeconfig() != null) {
            Path path = Path.of(options.kubeconfig());
            if (!Files.exists(path)) {
                throw cluster("kubeconfig " + path + ": no such file");
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw cluster("kubeconfig " + path + ": not a readable file");
            }
            return List.of(path);
        }
        List<Path> out = new ArrayList<>();
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            for (String part : list.split(File.pathSeparator)) {
                if (!part.isBlank() && Files.isRegularFile(Path.of(part)) && Files.isReadable(Path.of(part))) {
                    out.add(Path.of(part));
                }
            }
            return out;
        }
        String home = env.get("HOME"); // the injected environment only, so tests never find a real ~/.kube/config
        if (home != null) {
            Path path = Path.of(home, ".kube", "config");
            if (Files.isRegularFile(path) && Files.isReadable(path)) {
                out.add(path);
            }
        }
        return out;
    }

    private static io.fabric8.kubernetes.api.model.Config parse(Path file) {
        try {
            io.fabric8.kubernetes.api.model.Config config = KubeConfigUtils.parseConfig(file.toFile());
            if (config == null) {
                throw cluster("kubeconfig " + file + " is empty");
            }
            return config;
        } catch (TortieException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TortieException(
                    ExitCode.CLUSTER, "kubeconfig " + file + " is not a valid kubeconfig: " + parseProblem(e), e);
        }
    }

    private static final Pattern MARK = Pattern.compile(".*\\bline (\\d+), column (\\d+).*");
    private static final Pattern FIELD = Pattern.compile("\\[\"([^\"]+)\"\\]");

    /**
     * What is wrong with a kubeconfig, from the YAML parser's or the data binder's message: {@code line 3, column 9:
     * expected ',' or '}', but got :} or {@code contexts: cannot deserialize ... from Integer value}.
     */
    static String parseProblem(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String message = c.getMessage();
            if (message == null) {
                continue;
            }
            List<String> lines = message.lines().toList();
            for (int i = lines.size() - 1; i > 0; i--) {
                Matcher m = MARK.matcher(lines.get(i));
                if (m.matches() && !lines.get(i - 1).isBlank()) {
                    return "line " + m.group(1) + ", column " + m.group(2) + ": "
                            + lines.get(i - 1).strip();
                }
            }
            if (message.contains("through reference chain")) {
                List<String> fields = new ArrayList<>();
                Matcher m = FIELD.matcher(message.substring(message.indexOf("through reference chain")));
                while (m.find()) {
                    fields.add(m.group(1));
                }
                String first = lines.get(0);
                int cut = first.indexOf(" (token");
                first = cut > 0 ? first.substring(0, cut) : first;
                return String.join(".", fields) + ": " + Character.toLowerCase(first.charAt(0)) + first.substring(1);
            }
        }
        return KubeErrors.rootMessage(e);
    }

    private static NamedContext findContext(
            List<io.fabric8.kubernetes.api.model.Config> configs, String wanted, String origin) {
        TreeSet<String> names = new TreeSet<>();
        for (io.fabric8.kubernetes.api.model.Config c : configs) {
            if (c.getContexts() != null) {
                for (NamedContext nc : c.getContexts()) {
                    if (nc.getName() != null && nc.getContext() != null) {
                        names.add(nc.getName());
                    }
                }
            }
        }
        String name = wanted;
        if (name == null) {
            for (io.fabric8.kubernetes.api.model.Config c : configs) {
                if (c.getCurrentContext() != null && !c.getCurrentContext().isBlank()) {
                    name = c.getCurrentContext();
                    break;
                }
            }
            if (name == null) {
                throw cluster("kubeconfig " + origin + " has no current-context; choose one with --context NAME"
                        + contexts(names));
            }
        }
        // The first file that defines a context wins, as kubectl merges them.
        for (io.fabric8.kubernetes.api.model.Config c : configs) {
            if (c.getContexts() != null) {
                for (NamedContext nc : c.getContexts()) {
                    if (name.equals(nc.getName()) && nc.getContext() != null) {
                        return nc;
                    }
                }
            }
        }
        throw cluster("context '" + name + "' not found in kubeconfig " + origin + contexts(names));
    }

    private static String contexts(TreeSet<String> names) {
        return names.isEmpty() ? " (it defines no contexts)" : " (contexts: " + String.join(", ", names) + ")";
    }

    private static NamedCluster find(List<io.fabric8.kubernetes.api.model.Config> configs, String name) {
        for (io.fabric8.kubernetes.api.model.Config c : configs) {
            if (c.getClusters() != null) {
                for (NamedCluster nc : c.getClusters()) {
                    if (Objects.equals(name, nc.getName()) && nc.getCluster() != null) {
                        return nc;
                    }
                }
            }
        }
        return null;
    }

    private static AuthInfo findUser(List<io.fabric8.kubernetes.api.model.Config> configs, String name) {
        for (io.fabric8.kubernetes.api.model.Config c : configs) {
            if (c.getUsers() != null) {
                for (NamedAuthInfo u : c.getUsers()) {
                    if (Objects.equals(name, u.getName()) && u.getUser() != null) {
                        return u.getUser();
                    }
                }
            }
        }
        return null;
    }

    /**
     * The plugin's command line for messages; fails early, with the kubeconfig's install hint, when the command does
     * not exist (fabric8 would only log it and the API server would answer 401).
     */
    private static String checkExec(ExecConfig exec, String user, List<Path> files, Map<String, String> env) {
        String command = exec.getCommand();
        if (command == null || command.isBlank()) {
            throw cluster(
                    "user '" + user + "' in " + files.get(0) + " has an exec credential plugin without a command");
        }
        List<String> line = new ArrayList<>();
        line.add(command);
        if (exec.getArgs() != null) {
            line.addAll(exec.getArgs());
        }
        String shown = String.join(" ", line);
        if (!commandExists(command, files.get(0), env)) {
            String hint = exec.getInstallHint() == null || exec.getInstallHint().isBlank()
                    ? ""
                    : "; " + exec.getInstallHint().strip().replace('\n', ' ');
            throw cluster("exec credential plugin '" + command + "' for user '" + user + "' not found" + hint);
        }
        return shown;
    }

    private static boolean commandExists(String command, Path kubeconfig, Map<String, String> env) {
        if (command.contains(File.separator)) {
            Path path = Path.of(command);
            if (!path.isAbsolute()) {
                Path dir = kubeconfig.toAbsolutePath().getParent();
                path = dir == null ? path : dir.resolve(command).normalize();
            }
            return Files.isRegularFile(path);
        }
        String pathVariable = env.getOrDefault("PATH", System.getenv("PATH"));
        if (pathVariable == null) {
            return true; // cannot tell; let fabric8 try
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isRegularFile(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static TortieException cluster(String message) {
        return new TortieException(ExitCode.CLUSTER, message);
    }
}
