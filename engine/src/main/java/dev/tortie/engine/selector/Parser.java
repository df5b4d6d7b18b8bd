package dev.tortie.engine.selector;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for Calico's selector grammar ({@code ||} below {@code &&} below prefix {@code !}). Builds
 * the same tree shape as Calico's parser.go: single operands are not wrapped, {@code !}s collapse by parity, and
 * parentheses keep their nesting.
 */
final class Parser {
    static final String OPERAND = "a label, '(', '!', has(), all() or global()";
    static final String OPERATOR = "an operator (==, !=, contains, starts with, ends with, in or not in)";
    static final String STRING = "a string literal";
    static final String SET_OPEN = "'{' to open a set of string literals";
    static final String SET_ITEM = "a string literal or '}'";
    static final String SET_NEXT = "',' or '}'";
    static final String AFTER_OPERAND_TOP = "'&&', '||' or end of input";
    static final String AFTER_OPERAND_NESTED = "'&&', '||' or ')'";

    // Calico has no limit, but its validator caps selectors at 1024 characters, which allows at most 509 levels;
    // the cap keeps a hostile input from overflowing the stack of a recursive parser.
    static final int MAX_NESTING = 512;

    private final Lexer lexer;
    private int depth;

    private Parser(String input) {
        this.lexer = new Lexer(input);
    }

    /** Parses {@code input}; an empty or blank selector is {@code all()}. */
    static Node parse(String input) {
        return new Parser(input).root();
    }

    private Node root() {
        lexer.advance(OPERAND);
        if (lexer.kind() == TokenKind.EOF) {
            return Node.All.INSTANCE;
        }
        Node node = orExpression();
        if (lexer.kind() != TokenKind.EOF) {
            throw unexpected(AFTER_OPERAND_TOP);
        }
        return node;
    }

    private Node orExpression() {
        Node first = andExpression();
        if (lexer.kind() != TokenKind.OR) {
            return first;
        }
        List<Node> operands = new ArrayList<>();
        operands.add(first);
        while (lexer.kind() == TokenKind.OR) {
            lexer.advance(OPERAND);
            operands.add(andExpression());
        }
        return Node.Or.of(operands);
    }

    private Node andExpression() {
        Node first = operation();
        if (lexer.kind() != TokenKind.AND) {
            return first;
        }
        List<Node> operands = new ArrayList<>();
        operands.add(first);
        while (lexer.kind() == TokenKind.AND) {
            lexer.advance(OPERAND);
            operands.add(operation());
        }
        return Node.And.of(operands);
    }

    /** A possibly negated primary; on return the lexer holds the token after it. */
    private Node operation() {
        boolean negated = false;
        while (lexer.kind() == TokenKind.NOT) {
            negated = !negated;
            lexer.advance(OPERAND);
        }
        Node node = primary();
        return negated ? new Node.Not(node) : node;
    }

    private Node primary() {
        switch (lexer.kind()) {
            case HAS -> {
                Node node = new Node.Has(lexer.value());
                advancePastOperand();
                return node;
            }
            case ALL -> {
                advancePastOperand();
                return Node.All.INSTANCE;
            }
            case GLOBAL -> {
                advancePastOperand();
                return Node.Global.INSTANCE;
            }
            case LABEL -> {
                return labelOperation();
            }
            case LPAREN -> {
                if (depth == MAX_NESTING) {
                    throw SelectorSyntaxException.at(
                            lexer.input(),
                            lexer.start(),
                            "parentheses nested too deeply",
                            "at most " + MAX_NESTING + " levels of '('");
                }
                depth++;
                lexer.advance(OPERAND);
                Node node = orExpression();
                if (lexer.kind() != TokenKind.RPAREN) {
                    throw unexpected(AFTER_OPERAND_NESTED);
                }
                depth--;
                advancePastOperand();
                return node;
            }
            default -> throw unexpected(OPERAND);
        }
    }

    private Node labelOperation() {
        String label = lexer.value();
        lexer.advance(OPERATOR);
        TokenKind op = lexer.kind();
        switch (op) {
            case EQ, NE, CONTAINS, STARTS_WITH, ENDS_WITH -> {
                lexer.advance(STRING);
                expect(TokenKind.STRING_LITERAL, STRING);
                Node node = Node.compare(op, label, lexer.value());
                advancePastOperand();
                return node;
            }
            case IN, NOT_IN -> {
                lexer.advance(SET_OPEN);
                expect(TokenKind.LBRACE, SET_OPEN);
                ValueSet values = setLiteralItems();
                advancePastOperand();
                return op == TokenKind.IN ? new Node.In(label, values) : new Node.NotIn(label, values);
            }
            default -> throw unexpected(OPERATOR);
        }
    }

    /** After '{': zero or more string literals separated by commas, an optional trailing comma, then '}'. */
    private ValueSet setLiteralItems() {
        List<String> items = new ArrayList<>();
        lexer.advance(SET_ITEM);
        while (lexer.kind() == TokenKind.STRING_LITERAL) {
            items.add(lexer.value());
            lexer.advance(SET_NEXT);
            if (lexer.kind() != TokenKind.COMMA) {
                expect(TokenKind.RBRACE, SET_NEXT);
                return ValueSet.of(items);
            }
            lexer.advance(SET_ITEM);
        }
        expect(TokenKind.RBRACE, SET_ITEM);
        return ValueSet.of(items);
    }

    private void advancePastOperand() {
        lexer.advance(depth > 0 ? AFTER_OPERAND_NESTED : AFTER_OPERAND_TOP);
    }

    private void expect(TokenKind kind, String expected) {
        if (lexer.kind() != kind) {
            throw unexpected(expected);
        }
    }

    private SelectorSyntaxException unexpected(String expected) {
        return SelectorSyntaxException.at(
                lexer.input(), lexer.start(), "unexpected " + lexer.describeToken(), expected);
    }
}
