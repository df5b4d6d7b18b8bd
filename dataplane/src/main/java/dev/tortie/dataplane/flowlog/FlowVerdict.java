package dev.tortie.dataplane.flowlog;

/** What the deciding rule did with a flow's first packet. */
public enum FlowVerdict {
    ALLOW('A'),
    DENY('D');

    private final char letter;

    FlowVerdict(char letter) {
        this.letter = letter;
    }

    /** A or D, as in Calico's NFLOG prefixes. */
    public char letter() {
        return letter;
    }

    public String lowerName() {
        return this == ALLOW ? "allow" : "deny";
    }

    /** The verdict for a prefix letter, or null. */
    public static FlowVerdict ofLetter(char c) {
        return c == 'A' ? ALLOW : c == 'D' ? DENY : null;
    }
}
