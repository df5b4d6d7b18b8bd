package dev.tortie.engine.convert;

import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.EntityRule;
import dev.tortie.engine.model.IcmpMatch;
import dev.tortie.engine.model.NetworkSet;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.model.Policy;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.model.Rule;
import dev.tortie.engine.model.ServiceAccountMatch;
import dev.tortie.engine.model.Tier;
import dev.tortie.engine.net.Cidr;
import dev.tortie.engine.selector.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calico resources (projectcalico.org/v3, and crd.projectcalico.org/v1 which has the same spec shape) to model
 * values: NetworkPolicy, GlobalNetworkPolicy and their Staged variants to {@link Policy}, Tier to {@link Tier},
 * NetworkSet and GlobalNetworkSet to {@link NetworkSet}.
 *
 * <p>Validation follows Calico's validator (libcalico-go/lib/validator/v3) and the CRD's limits: exact-case actions
 * and protocol names, ports only with TCP/UDP/SCTP, ICMP fields only with ICMP/ICMPv6, CIDRs (not bare IPs) in rule
 * nets, {@code global()} only in an EntityRule namespaceSelector, 1024 rules per direction, 256 nets and 50 ports per
 * EntityRule, selectors of at most 1024 characters. What tortie cannot enforce is said: {@code services} is an error,
 * {@code http} and the host-endpoint flags are warnings.
 */
public final class CalicoConverter {
    public static final Set<String> POLICY_KINDS =
            Set.of("NetworkPolicy", "GlobalNetworkPolicy", "StagedNetworkPolicy", "StagedGlobalNetworkPolicy");
    public static final Set<String> NETWORK_SET_KINDS = Set.of("NetworkSet", "GlobalNetworkSet");

    static final int MAX_RULES = 1024;
    static final int MAX_NETS = 256;
    static final int MAX_PORTS = 50;

    private static final Set<String> POLICY_FIELDS = Set.of(
            "order", "tier", "selector", "types", "ingress", "egress", "serviceAccountSelector", "performanceHints");
    private static final Set<String> GLOBAL_POLICY_FIELDS =
            Set.of("namespaceSelector", "doNotTrack", "preDNAT", "applyOnForward");
    private static final Set<String> RULE_FIELDS = Set.of(
            "action",
            "ipVersion",
            "protocol",
            "notProtocol",
            "icmp",
            "notICMP",
            "source",
            "destination",
            "http",
            "metadata");
    private static final Set<String> ENTITY_FIELDS = Set.of(
            "nets",
            "notNets",
            "selector",
            "notSelector",
            "namespaceSelector",
            "serviceAccounts",
            "services",
            "ports",
            "notPorts");
    private static final Set<String> ICMP_FIELDS = Set.of("type", "code");
    private static final Set<String> SERVICE_ACCOUNT_FIELDS = Set.of("names", "selector");
    private static final Set<String> TIER_FIELDS = Set.of("order", "defaultAction");
    private static final Set<String> NETWORK_SET_FIELDS = Set.of("nets");
    private static final Set<String> STAGED_ACTIONS = Set.of("Set", "Delete", "Learn", "Ignore");

    private static final Pattern PORT_RANGE = Pattern.compile("(\\d+):(\\d+)");
    private static final Pattern PORT_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final String GLOBAL = "global()";

    /** Reserved tiers: order and default action Calico insists on (api tier.go CEL rules). */
    private record ReservedTier(double order, Action defaultAction) {}

    private static final Map<String, ReservedTier> RESERVED_TIERS = Map.of(
            Policy.DEFAULT_TIER,
            new ReservedTier(Tier.DEFAULT_ORDER, Action.DENY),
            "kube-admin",
            new ReservedTier(1_000.0, Action.PASS),
            "kube-baseline",
            new ReservedTier(10_000_000.0, Action.PASS));

    private CalicoConverter() {}

    // =============================================================================================
    // Policies

    public static Converted<Policy> convertPolicy(Manifest manifest) {
        return convertPolicy(manifest.tree(), manifest.source());
    }

    public static Converted<Policy> convertPolicy(Map<String, Object> tree, ObjectSource source) {
        String kind = tree.get("kind") instanceof String k ? k : null;
        ConversionContext ctx = new ConversionContext(source, kind);
        PolicyKind policyKind = policyKind(kind);
        if (policyKind == null) {
            ctx.error("kind", "kind " + kind + " is not a Calico policy kind");
            return ctx.done(null);
        }
        boolean namespaced = policyKind.namespaced();
        boolean global = !namespaced;
        ObjectMeta meta = ObjectMeta.read(
                ctx,
                tree,
                kind,
                namespaced,
                namespaced ? ObjectMeta.NameRule.CALICO_POLICY : ObjectMeta.NameRule.CALICO_GLOBAL_POLICY);
        Map<String, Object> spec = ctx.map(tree, "spec", "");
        if (spec == null) {
            if (tree.get("spec") != null) {
                return ctx.done(null);
            }
            spec = Map.of();
        }
        Set<String> known = new HashSet<>(POLICY_FIELDS);
        if (global) {
            known.addAll(GLOBAL_POLICY_FIELDS);
        }
        if (policyKind.staged()) {
            known.add("stagedAction");
        }
        ctx.unknownFields(spec, "spec", known);

        if (policyKind.staged()) {
            String action = ctx.string(spec, "stagedAction", "spec");
            if ("Delete".equals(action)) {
                ctx.info("spec.stagedAction", "staged delete skipped: Calico does not evaluate it");
                return ctx.hasErrors() ? ctx.done(null) : ctx.skipped();
            }
            if (action != null && !STAGED_ACTIONS.contains(action)) {
                ctx.error(
                        "spec.stagedAction",
                        "stagedAction '" + action + "' is invalid: must be Set, Delete, Learn or Ignore");
            }
        }

        String tier = ctx.string(spec, "tier", "spec");
        boolean tierGiven = tier != null && !tier.isEmpty();
        if (!tierGiven) {
            tier = Policy.DEFAULT_TIER;
        } else {
            String problem = Names.dns1123Label(tier);
            if (problem != null) {
                ctx.error("spec.tier", "tier '" + tier + "' is invalid: " + problem);
            }
        }
        if (meta.name() != null
                && meta.name().indexOf('.') > 0
                && !meta.name().startsWith("knp.default.")
                && !meta.name().startsWith("ossg.default.")) {
            String prefix = meta.name().substring(0, meta.name().indexOf('.'));
            if (!prefix.equals(tier) && !prefix.equals(Policy.DEFAULT_TIER)) {
                ctx.info(
                        "metadata.name",
                        "name prefix '" + prefix + ".' is not the policy's tier (" + tier + "): since Calico 3.32 a"
                                + " name prefix does not choose the tier; set spec.tier");
            }
        }
        Double order = ctx.number(spec, "order", "spec");

        Selector selector = policySelector(ctx, spec, "selector", Selector.all());
        Selector serviceAccountSelector = policySelector(ctx, spec, "serviceAccountSelector", null);
        Selector namespaceSelector = global ? policySelector(ctx, spec, "namespaceSelector", null) : null;

        if (global) {
            boolean doNotTrack = Boolean.TRUE.equals(ctx.bool(spec, "doNotTrack", "spec"));
            boolean preDnat = Boolean.TRUE.equals(ctx.bool(spec, "preDNAT", "spec"));
            boolean applyOnForward = Boolean.TRUE.equals(ctx.bool(spec, "applyOnForward", "spec"));
            if (doNotTrack && preDnat) {
                ctx.error("spec.preDNAT", "preDNAT and doNotTrack cannot both be true");
            }
            if ((doNotTrack || preDnat) && !applyOnForward) {
                ctx.error("spec.applyOnForward", "applyOnForward must be true when preDNAT or doNotTrack is true");
            }
            if (preDnat && spec.get("egress") instanceof List<?> l && !l.isEmpty()) {
                ctx.error("spec.egress", "a preDNAT policy cannot have egress rules");
            }
            for (String flag : List.of("doNotTrack", "preDNAT", "applyOnForward")) {
                if (Boolean.TRUE.equals(spec.get(flag))) {
                    ctx.warning(
                            "spec." + flag,
                            flag + " only matters for host endpoints, which tortie does not model; ignored");
                }
            }
            if (preDnat) {
                checkNoEgressType(ctx, spec);
            }
        }

        List<Rule> ingress = rules(ctx, ctx.list(spec, "ingress", "spec"), "ingress", true);
        List<Rule> egress = rules(ctx, ctx.list(spec, "egress", "spec"), "egress", false);

        boolean appliesToIngress;
        boolean appliesToEgress;
        List<String> types = ctx.stringList(spec, "types", "spec");
        if (types == null || types.isEmpty()) {
            // api/pkg/defaults/networkpolicy.go defaultPolicyTypesField
            boolean hasEgress = spec.get("egress") instanceof List<?> l && !l.isEmpty();
            boolean hasIngress = spec.get("ingress") instanceof List<?> l && !l.isEmpty();
            appliesToIngress = !hasEgress || hasIngress;
            appliesToEgress = hasEgress;
        } else {
            appliesToIngress = false;
            appliesToEgress = false;
            for (int i = 0; i < types.size(); i++) {
                String type = types.get(i);
                String at = ConversionContext.index("spec.types", i);
                boolean seen;
                if (type.equals("Ingress")) {
                    seen = appliesToIngress;
                    appliesToIngress = true;
                } else if (type.equals("Egress")) {
                    seen = appliesToEgress;
                    appliesToEgress = true;
                } else {
                    ctx.error(at, "type '" + type + "' is invalid: must be Ingress or Egress");
                    continue;
                }
                if (seen) {
                    ctx.error(at, "type '" + type + "' is specified more than once");
                }
            }
        }

        if (ctx.hasErrors() || meta.name() == null) {
            return ctx.done(null);
        }
        return ctx.done(new Policy(
                new PolicyId(policyKind, meta.namespace(), meta.name()),
                tier,
                order,
                selector,
                namespaceSelector,
                serviceAccountSelector,
                appliesToIngress,
                appliesToEgress,
                ingress,
                egress,
                meta.labels(),
                ctx.source(),
                tree));
    }

    private static PolicyKind policyKind(String kind) {
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "NetworkPolicy":
                return PolicyKind.CALICO_NETWORK_POLICY;
            case "GlobalNetworkPolicy":
                return PolicyKind.GLOBAL_NETWORK_POLICY;
            case "StagedNetworkPolicy":
                return PolicyKind.STAGED_NETWORK_POLICY;
            case "StagedGlobalNetworkPolicy":
                return PolicyKind.STAGED_GLOBAL_NETWORK_POLICY;
            default:
                return null;
        }
    }

    private static void checkNoEgressType(ConversionContext ctx, Map<String, Object> spec) {
        if (spec.get("types") instanceof List<?> types && types.contains("Egress")) {
            ctx.error("spec.types", "a preDNAT policy cannot have the Egress type");
        }
    }

    /** A policy-level selector field: "" or absent gives {@code absent}; {@code global()} is not allowed here. */
    private static Selector policySelector(
            ConversionContext ctx, Map<String, Object> spec, String key, Selector absent) {
        String text = ctx.string(spec, key, "spec");
        if (text == null || text.isBlank()) {
            return absent;
        }
        String at = ConversionContext.path("spec", key);
        if (text.contains(GLOBAL)) {
            ctx.error(at, "selector '" + text + "' uses global(), which is only allowed in a rule's namespaceSelector");
            return absent;
        }
        return ctx.selector(text, at);
    }

    // =============================================================================================
    // Rules

    private static List<Rule> rules(ConversionContext ctx, List<Object> raw, String direction, boolean ingress) {
        List<Rule> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        String listAt = ConversionContext.path("spec", direction);
        if (raw.size() > MAX_RULES) {
            ctx.error(listAt, raw.size() + " " + direction + " rules; the limit is " + MAX_RULES);
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            Rule rule = rule(
                    ctx,
                    raw.get(i),
                    ConversionContext.index(listAt, i),
                    ConversionContext.index(direction, i),
                    ingress);
            if (rule != null) {
                out.add(rule);
            }
        }
        return out;
    }

    private static Rule rule(ConversionContext ctx, Object raw, String at, String origin, boolean ingress) {
        if (raw == null) {
            ctx.error(at, "rule is empty: action is required (Allow, Deny, Pass or Log)");
            return null;
        }
        Map<String, Object> rule = ctx.asMap(raw, at);
        if (rule == null) {
            return null;
        }
        ctx.unknownFields(rule, at, RULE_FIELDS);
        boolean ok = true;

        String actionText = ctx.string(rule, "action", at);
        Action action = actionText == null ? null : Action.fromCalico(actionText);
        if (actionText == null) {
            if (rule.get("action") == null) {
                ctx.error(at + ".action", "action is required (Allow, Deny, Pass or Log)");
            }
            ok = false;
        } else if (action == null) {
            ctx.error(
                    at + ".action",
                    "action '" + actionText + "' is invalid: must be Allow, Deny, Pass or Log (exact case)");
            ok = false;
        }

        Integer ipVersion = null;
        Long version = ctx.integer(rule, "ipVersion", at);
        if (version != null) {
            if (version != 4 && version != 6) {
                ctx.error(at + ".ipVersion", "ipVersion " + version + " is invalid: must be 4 or 6");
                ok = false;
            } else {
                ipVersion = version.intValue();
            }
        } else if (rule.get("ipVersion") != null) {
            ok = false;
        }

        Protocol protocol = protocol(ctx, rule.get("protocol"), ConversionContext.path(at, "protocol"));
        Protocol notProtocol = protocol(ctx, rule.get("notProtocol"), ConversionContext.path(at, "notProtocol"));
        IcmpRead icmp = icmp(ctx, rule.get("icmp"), ConversionContext.path(at, "icmp"));
        IcmpRead notIcmp = icmp(ctx, rule.get("notICMP"), ConversionContext.path(at, "notICMP"));
        for (IcmpRead read : List.of(icmp, notIcmp)) {
            if (read.present() && (protocol == null || !protocol.isIcmp())) {
                String field = read.at().substring(read.at().lastIndexOf('.') + 1);
                ctx.error(read.at(), field + " requires protocol ICMP or ICMPv6");
                ok = false;
            }
        }
        if (ipVersion != null) {
            if ((Protocol.ICMP.equals(protocol) || Protocol.ICMP.equals(notProtocol)) && ipVersion != 4) {
                ctx.error(at + ".ipVersion", "protocol ICMP requires ipVersion 4, not " + ipVersion);
                ok = false;
            }
            if ((Protocol.ICMPV6.equals(protocol) || Protocol.ICMPV6.equals(notProtocol)) && ipVersion != 6) {
                ctx.error(at + ".ipVersion", "protocol ICMPv6 requires ipVersion 6, not " + ipVersion);
                ok = false;
            }
        }

        EntityRule source = entity(ctx, rule.get("source"), ConversionContext.path(at, "source"));
        EntityRule destination = entity(ctx, rule.get("destination"), ConversionContext.path(at, "destination"));
        if (source == null || destination == null) {
            ok = false;
        } else {
            boolean portsAllowed = protocol != null && protocol.supportsPorts();
            if (!portsAllowed) {
                ok &= noPorts(ctx, source.ports(), ConversionContext.path(at, "source.ports"));
                ok &= noPorts(ctx, source.notPorts(), ConversionContext.path(at, "source.notPorts"));
                ok &= noPorts(ctx, destination.ports(), ConversionContext.path(at, "destination.ports"));
                ok &= noPorts(ctx, destination.notPorts(), ConversionContext.path(at, "destination.notPorts"));
            }
            ok &= checkFamilies(ctx, ipVersion, source, destination, at);
        }

        Map<String, Object> http = ctx.map(rule, "http", at);
        if (http != null) {
            boolean httpOk = true;
            if (action != null && action != Action.ALLOW) {
                ctx.error(at + ".http", "http match is only valid on Allow rules");
                httpOk = false;
            }
            if (protocol != null && !protocol.equals(Protocol.TCP)) {
                ctx.error(at + ".http", "rules with an http match must have protocol TCP or none, not " + protocol);
                httpOk = false;
            }
            if (!ingress) {
                ctx.error(at + ".http", "http match is not allowed in egress rules");
                httpOk = false;
            }
            ok &= httpOk;
            if (httpOk) {
                ctx.warning(
                        at + ".http",
                        "http match is not enforced by L3/L4 dataplanes (only by Calico's L7 application-layer"
                                + " policy); the rest of the rule still applies");
            }
        }

        Map<String, Object> metadata = ctx.map(rule, "metadata", at);
        String metadataAt = ConversionContext.path(at, "metadata");
        Map<String, String> annotations = ctx.stringMap(metadata, "annotations", metadataAt);
        ctx.unknownFields(metadata, metadataAt, Set.of("annotations"));

        if (!ok || ctx.hasErrors()) {
            return null;
        }
        return new Rule(
                action,
                ipVersion,
                protocol,
                notProtocol,
                icmp.match(),
                notIcmp.match(),
                source,
                destination,
                annotations,
                origin);
    }

    private static boolean noPorts(ConversionContext ctx, List<PortSpec> ports, String at) {
        if (ports.isEmpty()) {
            return true;
        }
        ctx.error(at, "rules that specify ports must set protocol to TCP, UDP or SCTP");
        return false;
    }

    /** Calico's scanNets: every net in a rule is one family, and matches ipVersion when that is set. */
    private static boolean checkFamilies(
            ConversionContext ctx, Integer ipVersion, EntityRule source, EntityRule destination, String at) {
        boolean ok = true;
        boolean seenV4 = false;
        boolean seenV6 = false;
        List<List<Cidr>> fields = List.of(source.nets(), source.notNets(), destination.nets(), destination.notNets());
        List<String> names = List.of("source.nets", "source.notNets", "destination.nets", "destination.notNets");
        for (int f = 0; f < fields.size(); f++) {
            boolean v4 = false;
            boolean v6 = false;
            for (Cidr c : fields.get(f)) {
                v4 |= !c.isV6();
                v6 |= c.isV6();
            }
            String field = ConversionContext.path(at, names.get(f));
            if (ipVersion != null && ((v4 && ipVersion != 4) || (v6 && ipVersion != 6))) {
                ctx.error(field, "an IPv" + (v4 ? 4 : 6) + " CIDR does not match ipVersion " + ipVersion);
                ok = false;
            }
            if ((v4 && seenV6) || (v6 && seenV4) || (v4 && v6)) {
                ctx.error(field, "rule contains both IPv4 and IPv6 CIDRs");
                ok = false;
            }
            seenV4 |= v4;
            seenV6 |= v6;
        }
        return ok;
    }

    /** numorstring.Protocol: a number 1-255 (also as a digit string) or an exact-case name. Null when absent. */
    private static Protocol protocol(ConversionContext ctx, Object value, String at) {
        if (value == null) {
            return null;
        }
        String text;
        if (value instanceof Integer || value instanceof Long) {
            long n = ((Number) value).longValue();
            if (n < 1 || n > 255) {
                ctx.error(at, "protocol " + n + " is invalid: must be a number 1-255 or a name");
                return null;
            }
            return new Protocol((int) n);
        } else if (value instanceof String s) {
            text = s;
        } else {
            ctx.error(at, "expected a protocol name or number, got " + ConversionContext.describe(value));
            return null;
        }
        if (!text.isEmpty() && text.length() <= 3 && text.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 255) {
                return new Protocol(n);
            }
        }
        Protocol parsed = Protocol.tryParse(text);
        if (parsed == null || !parsed.displayName().equals(text)) {
            ctx.error(
                    at,
                    "protocol '" + text + "' is invalid: must be TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (exact case)"
                            + " or a number 1-255");
            return null;
        }
        return parsed;
    }

    private record IcmpRead(boolean present, IcmpMatch match, String at) {}

    private static IcmpRead icmp(ConversionContext ctx, Object value, String at) {
        if (value == null) {
            return new IcmpRead(false, null, at);
        }
        Map<String, Object> map = ctx.asMap(value, at);
        if (map == null) {
            return new IcmpRead(false, null, at);
        }
        ctx.unknownFields(map, at, ICMP_FIELDS);
        Long type = ctx.integer(map, "type", at);
        Long code = ctx.integer(map, "code", at);
        boolean ok = true;
        if (type != null && (type < 0 || type > 254)) {
            ctx.error(at + ".type", "type " + type + " is out of range 0-254");
            ok = false;
        }
        if (code != null && (code < 0 || code > 255)) {
            ctx.error(at + ".code", "code " + code + " is out of range 0-255");
            ok = false;
        }
        if (code != null && type == null) {
            ctx.error(at + ".code", "code " + code + " requires a type");
            ok = false;
        }
        IcmpMatch match =
                ok && type != null ? new IcmpMatch(type.intValue(), code == null ? null : code.intValue()) : null;
        return new IcmpRead(true, match, at);
    }

    // =============================================================================================
    // Entity rules

    /** Reads a source/destination; null after an error. */
    private static EntityRule entity(ConversionContext ctx, Object value, String at) {
        if (value == null) {
            return EntityRule.ANY;
        }
        Map<String, Object> map = ctx.asMap(value, at);
        if (map == null) {
            return null;
        }
        ctx.unknownFields(map, at, ENTITY_FIELDS);
        int errorsBefore = ctx.hasErrors() ? 1 : 0;
        boolean ok = true;
        List<Cidr> nets = nets(ctx, map, "nets", at);
        List<Cidr> notNets = nets(ctx, map, "notNets", at);
        Selector selector = entitySelector(ctx, map, "selector", at);
        Selector notSelector = entitySelector(ctx, map, "notSelector", at);
        Selector namespaceSelector = null;
        String nsText = ctx.string(map, "namespaceSelector", at);
        if (nsText != null && !nsText.isBlank()) {
            String stripped = nsText.strip();
            if (nsText.contains("global(") && !stripped.equals(GLOBAL)) {
                ctx.error(
                        at + ".namespaceSelector",
                        "namespaceSelector '" + nsText + "': global() cannot be combined with other selectors");
                ok = false;
            } else {
                namespaceSelector = ctx.selector(nsText, ConversionContext.path(at, "namespaceSelector"));
            }
        }
        ServiceAccountMatch serviceAccounts = null;
        Map<String, Object> sa = ctx.map(map, "serviceAccounts", at);
        if (sa != null) {
            String saAt = ConversionContext.path(at, "serviceAccounts");
            ctx.unknownFields(sa, saAt, SERVICE_ACCOUNT_FIELDS);
            List<String> names = ctx.stringList(sa, "names", saAt);
            String saSelectorText = ctx.string(sa, "selector", saAt);
            Selector saSelector = null;
            if (saSelectorText != null && !saSelectorText.isBlank()) {
                if (saSelectorText.contains(GLOBAL)) {
                    ctx.error(
                            saAt + ".selector",
                            "selector '" + saSelectorText + "' uses global(), which is only allowed in a"
                                    + " namespaceSelector");
                    ok = false;
                } else {
                    saSelector = ctx.selector(saSelectorText, ConversionContext.path(saAt, "selector"));
                }
            }
            serviceAccounts = new ServiceAccountMatch(names == null ? List.of() : names, saSelector);
        }
        if (map.get("services") != null) {
            ctx.error(at + ".services", "services match is not supported by tortie");
            ok = false;
        }
        List<PortSpec> ports = ports(ctx, map, "ports", at);
        List<PortSpec> notPorts = ports(ctx, map, "notPorts", at);
        if (!ok || (errorsBefore == 0 && ctx.hasErrors())) {
            return null;
        }
        return new EntityRule(
                nets, notNets, selector, notSelector, namespaceSelector, serviceAccounts, ports, notPorts);
    }

    private static Selector entitySelector(ConversionContext ctx, Map<String, Object> map, String key, String at) {
        String text = ctx.string(map, key, at);
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.contains(GLOBAL)) {
            ctx.error(
                    at + "." + key,
                    "selector '" + text + "' uses global(), which is only allowed in a namespaceSelector");
            return null;
        }
        return ctx.selector(text, ConversionContext.path(at, key));
    }

    /** Rule nets: CIDRs only (Calico's validator parses them with ParseCIDR, so a bare IP is an error). */
    private static List<Cidr> nets(ConversionContext ctx, Map<String, Object> map, String key, String at) {
        List<String> texts = ctx.stringList(map, key, at);
        List<Cidr> out = new ArrayList<>();
        if (texts == null) {
            return out;
        }
        String listAt = ConversionContext.path(at, key);
        if (texts.size() > MAX_NETS) {
            ctx.error(listAt, texts.size() + " CIDRs; the limit is " + MAX_NETS);
            return out;
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Cidr cidr = Cidr.tryParse(text, false);
            if (cidr != null) {
                out.add(cidr);
            } else if (Cidr.tryParse(text, true) != null) {
                Cidr host = Cidr.tryParse(text, true);
                ctx.error(
                        ConversionContext.index(listAt, i),
                        "'" + text + "' is an IP address, not a CIDR: Calico requires a prefix length here (write "
                                + host + ")");
            } else {
                ctx.error(ConversionContext.index(listAt, i), "'" + text + "' is not a valid CIDR");
            }
        }
        return out;
    }

    private static List<PortSpec> ports(ConversionContext ctx, Map<String, Object> map, String key, String at) {
        List<Object> raw = ctx.list(map, key, at);
        List<PortSpec> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        String listAt = ConversionContext.path(at, key);
        if (raw.size() > MAX_PORTS) {
            ctx.error(listAt, raw.size() + " ports; the limit is " + MAX_PORTS);
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            PortSpec port = port(ctx, raw.get(i), ConversionContext.index(listAt, i));
            if (port != null) {
                out.add(port);
            }
        }
        return out;
    }

    /** numorstring.PortFromString plus validatePort: 1-65535, {@code "min:max"}, or a named port. */
    static PortSpec port(ConversionContext ctx, Object value, String at) {
        if (value instanceof Integer || value instanceof Long) {
            long n = ((Number) value).longValue();
            if (n < 1 || n > 65535) {
                ctx.error(at, "port " + n + " is out of range 1-65535");
                return null;
            }
            return PortSpec.single((int) n);
        }
        if (!(value instanceof String text)) {
            ctx.error(at, "expected a port number, range or name, got " + ConversionContext.describe(value));
            return null;
        }
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            long n = text.length() > 6 ? Long.MAX_VALUE : Long.parseLong(text);
            if (n < 1 || n > 65535) {
                ctx.error(at, "port " + text + " is out of range 1-65535");
                return null;
            }
            return PortSpec.single((int) n);
        }
        Matcher range = PORT_RANGE.matcher(text);
        if (range.matches()) {
            long min = range.group(1).length() > 6 ? Long.MAX_VALUE : Long.parseLong(range.group(1));
            long max = range.group(2).length() > 6 ? Long.MAX_VALUE : Long.parseLong(range.group(2));
            if (min < 1 || min > 65535 || max < 1 || max > 65535) {
                ctx.error(at, "port range " + text + " is out of range 1-65535");
                return null;
            }
            if (min > max) {
                ctx.error(at, "port range " + text + " is invalid: minimum " + min + " is greater than maximum " + max);
                return null;
            }
            return PortSpec.range((int) min, (int) max);
        }
        if (!PORT_NAME.matcher(text).matches()) {
            ctx.error(
                    at,
                    "port '" + text + "' is invalid: expected a number, 'min:max' or a name of letters, digits, '_',"
                            + " '.' and '-' (at most 128)");
            return null;
        }
        return PortSpec.named(text);
    }

    // =============================================================================================
    // Tiers

    public static Converted<Tier> convertTier(Manifest manifest) {
        return convertTier(manifest.tree(), manifest.source());
    }

    public static Converted<Tier> convertTier(Map<String, Object> tree, ObjectSource source) {
        ConversionContext ctx = new ConversionContext(source, "Tier");
        ObjectMeta meta = ObjectMeta.read(ctx, tree, "Tier", false, ObjectMeta.NameRule.TIER);
        Map<String, Object> spec = ctx.map(tree, "spec", "");
        ctx.unknownFields(spec, "spec", TIER_FIELDS);
        Double order = ctx.number(spec, "order", "spec");
        String actionText = ctx.string(spec, "defaultAction", "spec");
        Action defaultAction = null;
        if (actionText != null) {
            defaultAction = Action.fromCalico(actionText);
            if (defaultAction != Action.DENY && defaultAction != Action.PASS) {
                ctx.error(
                        "spec.defaultAction",
                        "defaultAction '" + actionText + "' is invalid: must be Deny or Pass (exact case)");
                defaultAction = null;
            }
        }
        ReservedTier reserved = meta.name() == null ? null : RESERVED_TIERS.get(meta.name());
        if (reserved != null) {
            if (order != null && order != reserved.order()) {
                ctx.error(
                        "spec.order",
                        "order " + format(order) + " is invalid: tier " + meta.name() + " must have order "
                                + format(reserved.order()));
            }
            if (defaultAction != null && defaultAction != reserved.defaultAction()) {
                ctx.error(
                        "spec.defaultAction",
                        "defaultAction " + defaultAction + " is invalid: tier " + meta.name() + " must have "
                                + reserved.defaultAction());
            }
        }
        if (ctx.hasErrors() || meta.name() == null) {
            return ctx.done(null);
        }
        double effectiveOrder = order != null ? order : reserved != null ? reserved.order() : Tier.DEFAULT_ORDER;
        Action effectiveAction =
                defaultAction != null ? defaultAction : reserved != null ? reserved.defaultAction() : Action.DENY;
        return ctx.done(new Tier(meta.name(), effectiveOrder, effectiveAction, ctx.source()));
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    // =============================================================================================
    // Network sets

    public static Converted<NetworkSet> convertNetworkSet(Manifest manifest) {
        return convertNetworkSet(manifest.tree(), manifest.source());
    }

    /** NetworkSet (namespaced) or GlobalNetworkSet: labels and nets, where bare IPs are hosts (/32 or /128). */
    public static Converted<NetworkSet> convertNetworkSet(Map<String, Object> tree, ObjectSource source) {
        String kind = tree.get("kind") instanceof String k ? k : null;
        ConversionContext ctx = new ConversionContext(source, kind);
        if (kind == null || !NETWORK_SET_KINDS.contains(kind)) {
            ctx.error("kind", "kind " + kind + " is not NetworkSet or GlobalNetworkSet");
            return ctx.done(null);
        }
        boolean namespaced = kind.equals("NetworkSet");
        ObjectMeta meta = ObjectMeta.read(ctx, tree, kind, namespaced, ObjectMeta.NameRule.SUBDOMAIN);
        if (meta.labels().containsKey("projectcalico.org/namespace")) {
            ctx.error("metadata.labels", "label projectcalico.org/namespace is reserved and cannot be set");
        }
        Map<String, Object> spec = ctx.map(tree, "spec", "");
        ctx.unknownFields(spec, "spec", NETWORK_SET_FIELDS);
        List<String> texts = ctx.stringList(spec, "nets", "spec");
        List<Cidr> nets = new ArrayList<>();
        if (texts != null) {
            for (int i = 0; i < texts.size(); i++) {
                Cidr cidr = Cidr.tryParse(texts.get(i), true);
                if (cidr == null) {
                    ctx.error(
                            ConversionContext.index("spec.nets", i),
                            "'" + texts.get(i) + "' is not a valid CIDR or IP address");
                } else if (!nets.contains(cidr)) {
                    nets.add(cidr);
                }
            }
        }
        if (ctx.hasErrors() || meta.name() == null) {
            return ctx.done(null);
        }
        return ctx.done(new NetworkSet(meta.namespace(), meta.name(), meta.labels(), nets, ctx.source()));
    }
}
