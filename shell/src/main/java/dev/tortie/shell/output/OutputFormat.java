package dev.tortie.shell.output;

import java.util.Locale;

/** {@code -o table|wide|json|yaml}. */
public enum OutputFormat {
    TABLE,
    WIDE,
    JSON,
    YAML;

    public static OutputFormat parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw dev.tortie.shell.session.TortieException.usage(
                    "unknown output format '" + text + "': use table, wide, json or yaml");
        }
    }

    public boolean structured() {
        return this == JSON || this == YAML;
    }

    public String render(Object tree) {
        return this == YAML ? Yaml.write(tree) : Json.write(tree) + "\n";
    }
}
