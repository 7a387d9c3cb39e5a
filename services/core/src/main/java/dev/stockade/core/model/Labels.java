package dev.stockade.core.model;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Helpers for label and annotation maps: immutable, sorted, null means empty. */
public final class Labels {

    private Labels() {
    }

    /** An immutable sorted copy; {@code null} becomes the empty map. */
    public static SortedMap<String, String> copyOf(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Collections.emptySortedMap();
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }
}
