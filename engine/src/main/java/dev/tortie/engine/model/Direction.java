package dev.tortie.engine.model;

/** Policy direction from the selected endpoint's point of view. */
public enum Direction {
    INGRESS("Ingress", "inbound", 'I'),
    EGRESS("Egress", "outbound", 'E');

    private final String displayName;
    private final String felixName;
    private final char letter;

    Direction(String displayName, String felixName, char letter) {
        this.displayName = displayName;
        this.felixName = felixName;
        this.letter = letter;
    }

    public String displayName() {
        return displayName;
    }

    /** Felix's word (inbound/outbound), used in chain names. */
    public String felixName() {
        return felixName;
    }

    /** I or E, as in Calico's NFLOG prefixes. */
    public char letter() {
        return letter;
    }

    public String lowerName() {
        return displayName.toLowerCase(java.util.Locale.ROOT);
    }

    public static Direction fromName(String text) {
        for (Direction d : values()) {
            if (d.displayName.equalsIgnoreCase(text)) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
