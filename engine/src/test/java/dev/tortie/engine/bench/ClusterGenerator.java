package dev.tortie.engine.bench;

import java.util.Random;

/**
 * Generates a realistic cluster as manifest text: namespaces of ~100 pods running a handful of apps each, Kubernetes
 * NetworkPolicies per namespace (default deny, app-to-app allows with ports, named ports, namespace selectors,
 * ipBlocks) and Calico GlobalNetworkPolicies in a security tier. Deterministic for a seed.
 */
public final class ClusterGenerator {
    private final int pods;
    private final int policies;
    private final Random random;

    public ClusterGenerator(int pods, int policies, long seed) {
        this.pods = pods;
        this.policies = policies;
        this.random = new Random(seed);
    }

    public int namespaces() {
        return Math.max(1, pods / 100);
    }

    static String namespace(int i) {
        return "ns-" + i;
    }

    static String app(int i) {
        return "app-" + i;
    }

    public static String podName(int ns, int i) {
        return "pod-" + ns + "-" + i;
    }

    /** 10.64.0.0/10 holds 4M addresses: enough for any generated size. */
    public static String ip(int index) {
        int n = index + 256;
        return "10." + (64 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    public String manifests() {
        StringBuilder sb = new StringBuilder(pods * 700);
        int nsCount = namespaces();
        for (int ns = 0; ns < nsCount; ns++) {
            sb.append("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ")
                    .append(namespace(ns))
                    .append("\n  labels:\n    team: team-")
                    .append(ns % 20)
                    .append("\n    env: ")
                    .append(ns % 3 == 0 ? "prod" : "dev")
                    .append('\n');
        }
        for (int p = 0; p < pods; p++) {
            int ns = p % nsCount;
            int app = (p / nsCount) % 8;
            sb.append("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ")
                    .append(podName(ns, p))
                    .append("\n  namespace: ")
                    .append(namespace(ns))
                    .append("\n  labels:\n    app: ")
                    .append(app(app))
                    .append("\n    version: v")
                    .append(p % 3)
                    .append("\n    tier: ")
                    .append(app < 3 ? "frontend" : app < 6 ? "backend" : "data")
                    .append("\nspec:\n  nodeName: node-")
                    .append(p % 50)
                    .append(
                            "\n  containers:\n  - name: main\n    ports:\n    - name: http\n      containerPort: 8080\n")
                    .append("    - name: metrics\n      containerPort: 9090\nstatus:\n  podIP: ")
                    .append(ip(p))
                    .append('\n');
        }
        sb.append(
                        "---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: security\nspec:\n  order: 100\n")
                .append("  defaultAction: Pass\n");
        for (int i = 0; i < policies; i++) {
            appendPolicy(sb, i, nsCount);
        }
        return sb.toString();
    }

    private void appendPolicy(StringBuilder sb, int i, int nsCount) {
        int ns = i % nsCount;
        int kind = i % 10;
        if (kind == 0 && i % 40 == 0) {
            sb.append("---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: gnp-")
                    .append(i)
                    .append("\nspec:\n  tier: security\n  order: ")
                    .append(i)
                    .append("\n  selector: tier == \"data\" && version == \"v")
                    .append(i % 3)
                    .append("\"\n")
                    .append("  types: [Ingress]\n  ingress:\n  - action: Log\n    source:\n      selector: app == \"")
                    .append(app(random.nextInt(8)))
                    .append("\"\n  - action: Deny\n    source:\n      nets: [\"192.0.2.")
                    .append(i % 250)
                    .append("/32\"]\n  - action: Pass\n");
            return;
        }
        sb.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-")
                .append(i)
                .append("\n  namespace: ")
                .append(namespace(ns))
                .append("\nspec:\n");
        switch (kind) {
            case 0, 1 -> sb.append("  podSelector: {}\n  policyTypes: [Ingress]\n");
            case 2, 3, 4 -> sb.append("  podSelector:\n    matchLabels:\n      app: ")
                    .append(app(random.nextInt(8)))
                    .append("\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector:\n")
                    .append("        matchLabels:\n          app: ")
                    .append(app(random.nextInt(8)))
                    .append("\n    ports:\n    - port: 8080\n    - port: ")
                    .append(8000 + random.nextInt(100))
                    .append('\n');
            case 5, 6 -> sb.append("  podSelector:\n    matchLabels:\n      tier: backend\n  policyTypes: [Ingress]\n")
                    .append(
                            "  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: team-")
                    .append(random.nextInt(20))
                    .append("\n      podSelector:\n        matchExpressions:\n")
                    .append("        - {key: tier, operator: In, values: [frontend]}\n    ports:\n    - port: http\n");
            case 7 -> sb.append("  podSelector:\n    matchLabels:\n      app: ")
                    .append(app(random.nextInt(8)))
                    .append("\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n")
                    .append("        except: [10.96.0.0/12]\n  - ports:\n    - port: 53\n      protocol: UDP\n");
            default -> sb.append(
                            "  podSelector:\n    matchExpressions:\n    - {key: version, operator: NotIn, values: [v0]}\n")
                    .append("  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector:\n")
                    .append("        matchLabels:\n          env: prod\n    ports:\n    - port: metrics\n");
        }
    }
}
