package dev.tortie.shell.repl;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where history is kept: one file per cluster context, {@code $TORTIE_HOME/history-<context>}, else
 * {@code $XDG_STATE_HOME/tortie/...}, else {@code ~/.local/state/tortie/...}.
 */
final class HistoryFiles {
    private HistoryFiles() {}

    static Path forContext(Map<String, String> env, String context) {
        return directory(env).resolve("history-" + safe(context));
    }

    static Path directory(Map<String, String> env) {
        String home = env.get("TORTIE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String state = env.get("XDG_STATE_HOME");
        if (state != null && !state.isBlank()) {
            return Path.of(state, "tortie");
        }
        String userHome = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(userHome, ".local", "state", "tortie");
    }

    /** Context names become file names: anything but letters, digits, '.', '_' and '-' turns into '_'. */
    static String safe(String context) {
        String s = context == null || context.isBlank() ? "default" : context;
        s = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.startsWith(".") ? "_" + s.substring(1) : s;
    }
}
