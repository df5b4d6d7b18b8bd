package dev.tortie.shell.command;

import dev.tortie.engine.compile.ClusterIndex;
import dev.tortie.engine.compile.CompiledPolicy;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.shell.session.TortieException;
import java.util.ArrayList;
import java.util.List;

/** Finds a policy by what an operator types: {@code name}, {@code ns/name}, optionally narrowed by kind. */
public final class Policies {
    private Policies() {}

    public static CompiledPolicy find(ClusterIndex index, String text, String currentNamespace, String kind) {
        String ns = null;
        String name = text;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            ns = text.substring(0, slash);
            name = text.substring(slash + 1);
        }
        PolicyKind wantedKind = kind == null ? null : kindOf(kind);
        List<CompiledPolicy> exact = new ArrayList<>();
        List<CompiledPolicy> global = new ArrayList<>();
        for (CompiledPolicy p : index.policies()) {
            if (!p.policy().name().equals(name)
                    || wantedKind != null && p.policy().kind() != wantedKind) {
                continue;
            }
            String pns = p.policy().namespace();
            if (pns == null) {
                global.add(p);
            } else if (pns.equals(ns != null ? ns : currentNamespace)) {
                exact.add(p);
            }
        }
        List<CompiledPolicy> found = !exact.isEmpty() ? exact : ns == null ? global : List.of();
        if (found.isEmpty()) {
            List<String> elsewhere = new ArrayList<>();
            for (CompiledPolicy p : index.policies()) {
                if (p.policy().name().equals(name)) {
                    elsewhere.add(p.policy().id().toString());
                }
            }
            throw TortieException.input("no policy '" + text + "'"
                    + (ns == null ? " in namespace " + currentNamespace + " or global" : "")
                    + (elsewhere.isEmpty() ? "" : " (found: " + String.join(", ", elsewhere) + ")"));
        }
        if (found.size() > 1) {
            List<String> ids =
                    found.stream().map(p -> p.policy().id().toString()).toList();
            throw TortieException.usage(
                    "'" + text + "' is ambiguous: " + String.join(", ", ids) + "; add --kind knp|np|gnp|snp|sgnp|sknp");
        }
        return found.get(0);
    }

    static PolicyKind kindOf(String text) {
        PolicyKind k = PolicyKind.fromShortName(text.toLowerCase(java.util.Locale.ROOT));
        if (k != null) {
            return k;
        }
        for (PolicyKind candidate : PolicyKind.values()) {
            if (candidate.kind().equalsIgnoreCase(text)) {
                return candidate;
            }
        }
        throw TortieException.usage("unknown policy kind '" + text + "': use knp, np, gnp, snp, sgnp or sknp");
    }
}
