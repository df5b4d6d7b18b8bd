package dev.tortie.engine.model;

/** The kinds of policy tortie enforces or reports, with Calico's short names (felix/types/policy_id.go). */
public enum PolicyKind {
    KUBERNETES_NETWORK_POLICY("knp", "NetworkPolicy", "networking.k8s.io/v1", true, false),
    CALICO_NETWORK_POLICY("np", "NetworkPolicy", "projectcalico.org/v3", true, false),
    GLOBAL_NETWORK_POLICY("gnp", "GlobalNetworkPolicy", "projectcalico.org/v3", false, false),
    STAGED_NETWORK_POLICY("snp", "StagedNetworkPolicy", "projectcalico.org/v3", true, true),
    STAGED_GLOBAL_NETWORK_POLICY("sgnp", "StagedGlobalNetworkPolicy", "projectcalico.org/v3", false, true),
    STAGED_KUBERNETES_NETWORK_POLICY("sknp", "StagedKubernetesNetworkPolicy", "projectcalico.org/v3", true, true),
    /** Not a policy object: a namespace or service-account profile, given ids so its rules can be attributed. */
    PROFILE("pro", "Profile", "projectcalico.org/v3", false, false);

    private final String shortName;
    private final String kind;
    private final String apiVersion;
    private final boolean namespaced;
    private final boolean staged;

    PolicyKind(String shortName, String kind, String apiVersion, boolean namespaced, boolean staged) {
        this.shortName = shortName;
        this.kind = kind;
        this.apiVersion = apiVersion;
        this.namespaced = namespaced;
        this.staged = staged;
    }

    public String shortName() {
        return shortName;
    }

    /** The manifest's {@code kind}. */
    public String kind() {
        return kind;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public boolean namespaced() {
        return namespaced;
    }

    /** Staged policies are evaluated for reporting only, never enforced. */
    public boolean staged() {
        return staged;
    }

    /** A label for humans: "NetworkPolicy (k8s)", "GlobalNetworkPolicy", ... */
    public String displayName() {
        return this == KUBERNETES_NETWORK_POLICY
                ? "NetworkPolicy (k8s)"
                : this == CALICO_NETWORK_POLICY ? "NetworkPolicy (calico)" : kind;
    }

    public static PolicyKind fromShortName(String text) {
        for (PolicyKind k : values()) {
            if (k.shortName.equals(text)) {
                return k;
            }
        }
        return null;
    }
}
