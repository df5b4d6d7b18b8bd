package dev.tortie.engine.eval;

/** The answer for one direction or one flow. */
public enum Verdict {
    ALLOW,
    DENY;

    public String lowerName() {
        return this == ALLOW ? "allow" : "deny";
    }
}
