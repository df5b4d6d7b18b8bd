package dev.tortie.engine.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** A tree's map behaves as the LinkedHashMap snakeyaml gives, made unmodifiable. */
class TreesProperties {

    @Property(tries = 500)
    void mapsAreOrderedAndEqualToLinkedHashMaps(
            @ForAll @Size(max = 40) List<@StringLength(max = 2) String> keys, @ForAll @IntRange(max = 3) int probe) {
        Map<String, Object> expected = new LinkedHashMap<>();
        List<Object> keysAndValues = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            expected.putIfAbsent(keys.get(i), i % 5 == 0 ? null : i);
            keysAndValues.add(keys.get(i));
            keysAndValues.add(i % 5 == 0 ? null : i);
        }
        Map<String, Object> map = Trees.map(keysAndValues.toArray());
        if (expected.size() < keys.size()) {
            assertThat(map).isNull();
            return;
        }
        assertThat(map).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(expected).isEqualTo(map);
        assertThat(map.toString()).isEqualTo(expected.toString());
        assertThat(List.copyOf(map.keySet())).isEqualTo(List.copyOf(expected.keySet()));
        for (String key : List.of("", "a", "zz", "k" + probe)) {
            assertThat(map.containsKey(key)).isEqualTo(expected.containsKey(key));
            assertThat(map.get(key)).isEqualTo(expected.get(key));
        }
        assertThatThrownBy(() -> map.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.remove("x")).isInstanceOf(UnsupportedOperationException.class);
        if (!map.isEmpty()) {
            assertThatThrownBy(() -> map.entrySet().iterator().next().setValue(1))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
