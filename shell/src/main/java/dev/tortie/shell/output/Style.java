package dev.tortie.shell.output;

/** ANSI styling that disappears when colour is off (not a TTY, NO_COLOR, --no-color). */
public final class Style {
    private final boolean color;

    public Style(boolean color) {
        this.color = color;
    }

    public boolean enabled() {
        return color;
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    public String cyan(String s) {
        return wrap("36", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** Display width of text, ignoring ANSI escapes. */
    public static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u001b') {
                while (i < s.length() && s.charAt(i) != 'm') {
                    i++;
                }
                continue;
            }
            w++;
        }
        return w;
    }
}
