package dev.tortie.engine.selector;

/** Token kinds of the selector language (Calico's tokenizer {@code Tok*} constants). */
enum TokenKind {
    LABEL,
    STRING_LITERAL,
    LBRACE,
    RBRACE,
    COMMA,
    EQ,
    NE,
    IN,
    NOT,
    NOT_IN,
    CONTAINS,
    STARTS_WITH,
    ENDS_WITH,
    ALL,
    HAS,
    LPAREN,
    RPAREN,
    AND,
    OR,
    GLOBAL,
    EOF
}
