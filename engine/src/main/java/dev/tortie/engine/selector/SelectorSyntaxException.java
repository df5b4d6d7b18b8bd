package dev.tortie.engine.selector;

/**
 * A selector that does not parse. The message is lower-case and names the column and what was expected there,
 * e.g. {@code unexpected ')' at column 14: expected a string literal}.
 */
public final class SelectorSyntaxException extends IllegalArgumentException {
    private final String input;
    private final int column;
    private final String expected;

    private SelectorSyntaxException(String input, int column, String problem, String expected) {
        super(problem + " at column " + column + ": expected " + expected);
        this.input = input;
        this.column = column;
        this.expected = expected;
    }

    /** {@code problem} says what is wrong ("label too long"); {@code index} is 0-based into {@code input}. */
    static SelectorSyntaxException at(String input, int index, String problem, String expected) {
        return new SelectorSyntaxException(input, index + 1, problem, expected);
    }

    /** 1-based column of the offending character ({@code input.length() + 1} for the end of input). */
    public int column() {
        return column;
    }

    /** What the parser would have accepted at {@link #column()}. */
    public String expected() {
        return expected;
    }

    /** The selector text as given. */
    public String input() {
        return input;
    }
}
