package dev.tortie.shell.command;

import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits command text the way a shell would (whitespace, single and double quotes, backslash escapes) and splits a
 * line into commands at unquoted semicolons. No expansion of any kind: what is typed is what the command gets.
 */
public final class Tokenizer {
    private Tokenizer() {}

    public static List<String> splitCommands(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                current.append(c);
            } else if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == ';' || c == '\n') {
                add(out, current);
            } else {
                current.append(c);
            }
        }
        if (quote != 0) {
            throw TortieException.usage("unterminated " + quote + " quote in: " + text);
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String s = current.toString().trim();
        if (!s.isEmpty()) {
            out.add(s);
        }
        current.setLength(0);
    }

    public static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < command.length()) {
                    current.append(command.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                current.append(command.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw TortieException.usage("unterminated " + quote + " quote in: " + command);
        }
        if (inWord) {
            out.add(current.toString());
        }
        return out;
    }
}
