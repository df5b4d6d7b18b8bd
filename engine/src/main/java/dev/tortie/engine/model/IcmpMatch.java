package dev.tortie.engine.model;

/** ICMP type and optional code (null = any code). */
public record IcmpMatch(int type, Integer code) {
    public IcmpMatch {
        if (type < 0 || type > 254) {
            throw new IllegalArgumentException("ICMP type " + type + " out of range 0-254");
        }
        if (code != null && (code < 0 || code > 255)) {
            throw new IllegalArgumentException("ICMP code " + code + " out of range 0-255");
        }
    }

    public boolean matches(int flowType, int flowCode) {
        return flowType == type && (code == null || code == flowCode);
    }

    @Override
    public String toString() {
        return code == null ? "type " + type : "type " + type + " code " + code;
    }
}
