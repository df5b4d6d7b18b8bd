package dev.tortie.dataplane.plan;

import dev.tortie.dataplane.render.iptables.ChainNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code iptables-save [-c] -t filter} output, Felix style: it does not parse iptables syntax, only chain
 * declarations, chain names of {@code -A} lines, the tortie comment (hash and rule id), set names and counters.
 * Other tables in the text are ignored.
 */
public final class IptablesSaveParser {
    private static final Pattern COUNTERS = Pattern.compile("^\\[(\\d+):(\\d+)\\]\\s+");
    private static final Pattern COMMENT = Pattern.compile("--comment\\s+(\"([^\"]*)\"|(\\S+))");
    private static final Pattern HASH =
            Pattern.compile("^" + Pattern.quote(ChainNames.COMMENT_PREFIX) + "([A-Za-z0-9_-]{16})(?: (.+))?$");
    private static final Pattern SET = Pattern.compile("--match-set\\s+(\\S+)");

    private IptablesSaveParser() {}

    public static ObservedTable parse(String text) {
        Map<String, List<ObservedRule>> owned = new LinkedHashMap<>();
        List<ObservedTable.KernelRule> kernelRules = new ArrayList<>();
        Map<String, Integer> kernelSizes = new HashMap<>();
        boolean inFilter = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("*")) {
                inFilter = line.equals("*filter");
                continue;
            }
            if (!inFilter || line.equals("COMMIT")) {
                continue;
            }
            if (line.startsWith(":")) {
                int space = line.indexOf(' ');
                String chain = space < 0 ? line.substring(1) : line.substring(1, space);
                if (ChainNames.owned(chain)) {
                    owned.computeIfAbsent(chain, k -> new ArrayList<>());
                }
                continue;
            }
            long packets = 0;
            long bytes = 0;
            Matcher counters = COUNTERS.matcher(line);
            if (counters.find()) {
                packets = Long.parseLong(counters.group(1));
                bytes = Long.parseLong(counters.group(2));
                line = line.substring(counters.end());
            }
            if (!line.startsWith("-A ")) {
                continue;
            }
            int end = line.indexOf(' ', 3);
            String chain = end < 0 ? line.substring(3) : line.substring(3, end);
            ObservedRule rule = rule(chain, line, packets, bytes);
            if (ChainNames.owned(chain)) {
                owned.computeIfAbsent(chain, k -> new ArrayList<>()).add(rule);
            } else {
                int position = kernelSizes.merge(chain, 1, Integer::sum) - 1;
                if (rule.owned(ChainNames.PREFIX)) {
                    kernelRules.add(new ObservedTable.KernelRule(chain, position, rule));
                }
            }
        }
        return new ObservedTable(owned, kernelRules, kernelSizes);
    }

    static ObservedRule rule(String chain, String line, long packets, long bytes) {
        String hash = null;
        String id = null;
        Matcher comments = COMMENT.matcher(line);
        while (comments.find()) {
            String text = comments.group(2) != null ? comments.group(2) : comments.group(3);
            Matcher h = HASH.matcher(text);
            if (h.matches()) {
                hash = h.group(1);
                id = h.group(2);
                break;
            }
        }
        List<String> sets = new ArrayList<>();
        Matcher s = SET.matcher(line);
        while (s.find()) {
            sets.add(s.group(1));
        }
        return new ObservedRule(chain, line, hash, id, packets, bytes, sets);
    }
}
