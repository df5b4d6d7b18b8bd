package dev.tortie.dataplane.plan;

import dev.tortie.dataplane.render.ipset.IpsetNames;
import dev.tortie.dataplane.render.ipset.IpsetRendering;
import dev.tortie.dataplane.render.ipset.KernelSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans IP set changes Felix's way: sets are created and filled before any rule references them and destroyed only
 * after no rule does; an existing set of the right shape gets member adds and deletes; one whose {@code maxelem}
 * changed is rebuilt under its temporary name and swapped in (atomic for the rules using it); one whose type changed
 * (the kernel cannot swap sets of different types) is destroyed and recreated, which the driver brackets by
 * quarantining the chains that match on it.
 */
public final class IpsetPlanner {
    private IpsetPlanner() {}

    public static IpsetPlan plan(IpsetRendering desired, Map<String, ObservedSet> observed) {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        Set<String> recreated = new LinkedHashSet<>();
        for (ObservedSet o : observed.values()) {
            if (IpsetNames.isTemp(o.name())) {
                before.add("destroy " + o.name());
                changes.add("set " + o.name() + " (leftover temporary) destroyed");
            }
        }
        for (KernelSet d : desired.sets()) {
            ObservedSet o = observed.get(d.name());
            if (o == null) {
                before.add(d.createLine(d.name()));
                addAll(before, d.name(), d.members());
                changes.add("set " + d.name() + " created (" + d.members().size() + " members)");
            } else if (o.sameShape(d)) {
                Set<String> remove = new TreeSet<>(o.members());
                remove.removeAll(d.members());
                Set<String> add = new TreeSet<>(d.members());
                add.removeAll(o.members());
                for (String m : remove) {
                    before.add("del " + d.name() + " " + m);
                }
                addAll(before, d.name(), add);
                if (!add.isEmpty() || !remove.isEmpty()) {
                    changes.add("set " + d.name() + " updated (+" + add.size() + " -" + remove.size() + ")");
                }
            } else if (o.type().equals(d.type()) && o.family().equals("inet") && IpsetNames.isMain(d.name())) {
                String temp = IpsetNames.tempFor(d.name());
                before.add(d.createLine(temp));
                addAll(before, temp, d.members());
                before.add("swap " + temp + " " + d.name());
                before.add("destroy " + temp);
                changes.add("set " + d.name() + " rebuilt and swapped (maxelem " + o.maxElements() + " -> "
                        + d.maxElements() + ")");
            } else {
                before.add("destroy " + d.name());
                before.add(d.createLine(d.name()));
                addAll(before, d.name(), d.members());
                recreated.add(d.name());
                changes.add("set " + d.name() + " recreated (" + o.type() + " " + o.family() + " -> " + d.type()
                        + " inet)");
            }
        }
        for (ObservedSet o : observed.values()) {
            if (!IpsetNames.isTemp(o.name()) && !desired.byName().containsKey(o.name())) {
                after.add("destroy " + o.name());
                changes.add("set " + o.name() + " destroyed");
            }
        }
        return new IpsetPlan(text(before), text(after), changes, recreated);
    }

    /** Destroys every set tortie owns (after the rules using them are gone). */
    public static IpsetPlan removal(Map<String, ObservedSet> observed) {
        List<String> after = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (ObservedSet o : observed.values()) {
            after.add("destroy " + o.name());
            changes.add("set " + o.name() + " destroyed");
        }
        return new IpsetPlan("", text(after), changes, Set.of());
    }

    private static void addAll(List<String> out, String name, Iterable<String> members) {
        for (String m : members) {
            out.add("add " + name + " " + m);
        }
    }

    private static String text(List<String> lines) {
        if (lines.isEmpty()) {
            return "";
        }
        return String.join("\n", lines) + "\n";
    }
}
