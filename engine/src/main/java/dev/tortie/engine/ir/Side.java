package dev.tortie.engine.ir;

/** Which address/port of the packet a match reads. Rules always speak of packet source and destination. */
public enum Side {
    SOURCE("src"),
    DESTINATION("dst");

    private final String shortName;

    Side(String shortName) {
        this.shortName = shortName;
    }

    /** src or dst, as iptables spells it. */
    public String shortName() {
        return shortName;
    }
}
