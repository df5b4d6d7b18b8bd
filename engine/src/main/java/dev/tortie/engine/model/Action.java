package dev.tortie.engine.model;

/** A rule's action, and a tier's default action (Deny or Pass). */
public enum Action {
    ALLOW("Allow"),
    DENY("Deny"),
    PASS("Pass"),
    LOG("Log");

    private final String displayName;

    Action(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** Exact-case Calico spelling (Allow, Deny, Pass, Log); null when unknown. */
    public static Action fromCalico(String text) {
        for (Action action : values()) {
            if (action.displayName.equals(text)) {
                return action;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
