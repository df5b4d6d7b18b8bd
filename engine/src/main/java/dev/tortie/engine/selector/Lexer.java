package dev.tortie.engine.selector;

import java.util.ArrayList;
import java.util.List;

/**
 * Calico's selector tokenizer, run one token at a time so the parser can say what it expected when a character does
 * not lex. Accepts and rejects exactly what Calico's {@code tokenizer.Tokenize} does.
 */
final class Lexer {
    static final int MAX_LABEL_LENGTH = 512;

    /** One token of a whole-input tokenization (tests compare these with Calico's token streams). */
    record Token(TokenKind kind, String value) {}

    private final String input;
    private int pos;
    // Set when the last token was a label: then only operator words may follow (Calico's contextual keywords).
    private boolean afterLabel;

    private TokenKind kind;
    private String value;
    private int start;
    private int end;

    Lexer(String input) {
        this.input = input;
    }

    /** Tokenizes the whole input, ending with {@link TokenKind#EOF}, or throws at the first bad character. */
    static List<Token> tokenize(String input) {
        Lexer lexer = new Lexer(input);
        List<Token> tokens = new ArrayList<>();
        do {
            lexer.advance("a token");
            tokens.add(new Token(lexer.kind(), lexer.value()));
        } while (lexer.kind() != TokenKind.EOF);
        return tokens;
    }

    String input() {
        return input;
    }

    TokenKind kind() {
        return kind;
    }

    /** Label name, string literal contents or has() label; null for other tokens. */
    String value() {
        return value;
    }

    /** 0-based index of the current token's first character. */
    int start() {
        return start;
    }

    /**
     * Reads the next token. {@code expected} describes what the caller wants here; it goes into the error when the
     * next characters are not a token at all.
     */
    void advance(String expected) {
        pos = skipWhitespace(pos);
        start = pos;
        value = null;
        if (pos == input.length()) {
            finish(TokenKind.EOF, pos);
            return;
        }
        char c = input.charAt(pos);
        switch (c) {
            case '(' -> finish(TokenKind.LPAREN, pos + 1);
            case ')' -> finish(TokenKind.RPAREN, pos + 1);
            case '{' -> finish(TokenKind.LBRACE, pos + 1);
            case '}' -> finish(TokenKind.RBRACE, pos + 1);
            case ',' -> finish(TokenKind.COMMA, pos + 1);
            case '"', '\'' -> stringLiteral(c);
            case '=' -> finish(TokenKind.EQ, pairEnd('=', "'=='"));
            case '&' -> finish(TokenKind.AND, pairEnd('&', "'&&'"));
            case '|' -> finish(TokenKind.OR, pairEnd('|', "'||'"));
            case '!' -> {
                if (input.startsWith("!=", pos)) {
                    finish(TokenKind.NE, pos + 2);
                } else {
                    finish(TokenKind.NOT, pos + 1);
                }
            }
            default -> {
                if (afterLabel) {
                    operatorWord();
                } else {
                    wordOrFunction(expected);
                }
            }
        }
    }

    /** Describes the current token for an "unexpected ..." message. */
    String describeToken() {
        return switch (kind) {
            case EOF -> "end of input";
            case LABEL -> "label " + quoted(value);
            case STRING_LITERAL -> "string " + abbreviate(input.substring(start, end));
            default -> quoted(input.substring(start, end));
        };
    }

    private void finish(TokenKind kind, int end) {
        this.kind = kind;
        this.end = end;
        this.pos = end;
        this.afterLabel = kind == TokenKind.LABEL;
    }

    /** A token spelled as a doubled character: {@code ==}, {@code &&}, {@code ||}; a single one is an error. */
    private int pairEnd(char c, String expected) {
        if (pos + 1 < input.length() && input.charAt(pos + 1) == c) {
            return pos + 2;
        }
        throw SelectorSyntaxException.at(input, pos, "unexpected " + quoted(String.valueOf(c)), expected);
    }

    private void stringLiteral(char quote) {
        // No escapes: the literal runs to the next quote of the same kind.
        int close = input.indexOf(quote, pos + 1);
        if (close < 0) {
            throw SelectorSyntaxException.at(input, pos, "unterminated string literal", "a closing " + quote);
        }
        value = input.substring(pos + 1, close);
        finish(TokenKind.STRING_LITERAL, close + 1);
    }

    private void operatorWord() {
        int at;
        TokenKind op;
        if ((at = cutWords(pos, "contains")) >= 0) {
            op = TokenKind.CONTAINS;
        } else if ((at = cutWords(pos, "starts", "with")) >= 0) {
            op = TokenKind.STARTS_WITH;
        } else if ((at = cutWords(pos, "ends", "with")) >= 0) {
            op = TokenKind.ENDS_WITH;
        } else if ((at = cutWords(pos, "not", "in")) >= 0) {
            op = TokenKind.NOT_IN;
        } else if ((at = cutWords(pos, "in")) >= 0) {
            op = TokenKind.IN;
        } else {
            throw SelectorSyntaxException.at(input, pos, "unexpected " + describeChar(pos), Parser.OPERATOR);
        }
        finish(op, at);
    }

    /**
     * Matches {@code words} at {@code from}, allowing any run of space/tab (even none) between them, and requires a
     * word boundary after the last one. Like Calico, whitespace after the last word of a multi-word operator is
     * skipped before that check, but not after a single word. Returns the end of the last word, or -1.
     */
    private int cutWords(int from, String... words) {
        int at = from;
        int lastWordEnd = from;
        for (String word : words) {
            if (!input.startsWith(word, at)) {
                return -1;
            }
            at += word.length();
            lastWordEnd = at;
            if (words.length > 1) {
                at = skipWhitespace(at);
            }
        }
        return isWordBoundary(at) ? lastWordEnd : -1;
    }

    private void wordOrFunction(String expected) {
        if (input.startsWith("has(", pos)) {
            int labelStart = skipWhitespace(pos + 4);
            int labelEnd = identifierEnd(labelStart, "a label inside has()");
            value = input.substring(labelStart, labelEnd);
            finish(TokenKind.HAS, closingParen(labelEnd, "has("));
        } else if (input.startsWith("all(", pos)) {
            finish(TokenKind.ALL, closingParen(pos + 4, "all("));
        } else if (input.startsWith("global(", pos)) {
            finish(TokenKind.GLOBAL, closingParen(pos + 7, "global("));
        } else {
            int labelEnd = identifierEnd(pos, expected);
            value = input.substring(pos, labelEnd);
            finish(TokenKind.LABEL, labelEnd);
        }
    }

    private int closingParen(int from, String function) {
        int at = skipWhitespace(from);
        if (at < input.length() && input.charAt(at) == ')') {
            return at + 1;
        }
        throw SelectorSyntaxException.at(
                input, at, "unexpected " + describeChar(at), "')' to close " + function + " at column " + (start + 1));
    }

    /** End of the label starting at {@code from}; throws if there is none or it is longer than 512 characters. */
    private int identifierEnd(int from, String expected) {
        int at = from;
        while (at < input.length() && isLabelChar(input.charAt(at))) {
            at++;
        }
        if (at == from) {
            throw SelectorSyntaxException.at(input, from, "unexpected " + describeChar(from), expected);
        }
        if (at - from > MAX_LABEL_LENGTH) {
            throw SelectorSyntaxException.at(
                    input,
                    from,
                    "label too long (" + (at - from) + " characters)",
                    "a label of at most " + MAX_LABEL_LENGTH + " characters");
        }
        return at;
    }

    private boolean isWordBoundary(int at) {
        return at == input.length() || !isLabelChar(input.charAt(at));
    }

    /** Only space and TAB are whitespace in Calico selectors; newline and CR are errors. */
    private int skipWhitespace(int from) {
        int at = from;
        while (at < input.length() && (input.charAt(at) == ' ' || input.charAt(at) == '\t')) {
            at++;
        }
        return at;
    }

    static boolean isLabelChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == '/'
                || c == '-';
    }

    /** Describes what is at {@code at} for an "unexpected ..." message: a word, a character or the end. */
    private String describeChar(int at) {
        if (at >= input.length()) {
            return "end of input";
        }
        char c = input.charAt(at);
        if (c == '\n') {
            return "newline";
        }
        if (c == '\r') {
            return "carriage return";
        }
        if (isLabelChar(c)) {
            int wordEnd = at;
            while (wordEnd < input.length() && isLabelChar(input.charAt(wordEnd))) {
                wordEnd++;
            }
            return quoted(input.substring(at, wordEnd));
        }
        int codePoint = input.codePointAt(at);
        if (Character.isISOControl(codePoint)) {
            return String.format("control character U+%04X", codePoint);
        }
        return quoted(new String(Character.toChars(codePoint)));
    }

    private static String quoted(String text) {
        return "'" + abbreviate(text) + "'";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
