package dev.tortie.engine.model;

import dev.tortie.engine.selector.Selector;
import java.util.List;

/** An EntityRule's serviceAccounts: names (any of) AND a selector over service-account labels. */
public record ServiceAccountMatch(List<String> names, Selector selector) {
    public ServiceAccountMatch {
        names = List.copyOf(names);
    }

    public boolean isEmpty() {
        return names.isEmpty() && selector == null;
    }
}
