package dev.tortie.dataplane.plan;

import dev.tortie.dataplane.render.ipset.IpsetNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code ipset save} output, keeping only the sets tortie owns (by name prefix). */
public final class IpsetSaveParser {
    private IpsetSaveParser() {}

    public static Map<String, ObservedSet> parse(String text) {
        Map<String, String[]> headers = new LinkedHashMap<>();
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String[] f = raw.strip().split("\\s+");
            if (f.length < 3 || !IpsetNames.owned(f[1])) {
                continue;
            }
            if (f[0].equals("create")) {
                headers.put(f[1], f);
                members.computeIfAbsent(f[1], k -> new ArrayList<>());
            } else if (f[0].equals("add")) {
                members.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[2]);
            }
        }
        Map<String, ObservedSet> out = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : headers.entrySet()) {
            String[] f = e.getValue();
            String family = option(f, "family", "inet");
            int maxElements = Integer.parseInt(option(f, "maxelem", "65536"));
            out.put(e.getKey(), new ObservedSet(e.getKey(), f[2], family, maxElements, members.get(e.getKey())));
        }
        return out;
    }

    private static String option(String[] fields, String name, String fallback) {
        for (int i = 3; i + 1 < fields.length; i++) {
            if (fields[i].equals(name)) {
                return fields[i + 1];
            }
        }
        return fallback;
    }
}
