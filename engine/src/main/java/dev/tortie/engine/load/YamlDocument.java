package dev.tortie.engine.load;

import java.util.List;

/**
 * One YAML document as read, before it becomes {@link Manifest}s.
 *
 * @param value the tree (immutable maps with string keys, lists, scalars); null for an empty document
 * @param line 1-based line of the root node in the whole text
 * @param itemLines 1-based line of each entry of the root's {@code items} sequence, when it has one
 */
record YamlDocument(Object value, int line, List<Integer> itemLines) {}
