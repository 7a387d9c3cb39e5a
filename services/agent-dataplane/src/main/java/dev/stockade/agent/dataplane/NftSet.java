package dev.stockade.agent.dataplane;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named set or map of the Stockade table, as the agent wants it.
 *
 * <p>{@code keyType} is nft's type text ({@code ipv4_addr}, {@code ipv4_addr . inet_service}).
 * {@code valueType} is null for a plain set and {@code verdict} for a verdict map. {@code interval}
 * sets hold ranges. {@code elements} maps each element's key text to its value text (null for a
 * plain set), in rendering order; an empty map is an empty set.
 */
public record NftSet(String name, String keyType, String valueType, boolean interval, Map<String, String> elements) {

    public NftSet {
        elements = Collections.unmodifiableMap(new LinkedHashMap<>(elements));
    }

    /** True for a verdict map, false for a plain set. */
    public boolean isMap() {
        return valueType != null;
    }

    /** The declaration body without elements: {@code type ipv4_addr; flags interval;}. */
    String declaration() {
        String type = isMap() ? "type " + keyType + " : " + valueType + ";" : "type " + keyType + ";";
        return interval ? type + " flags interval;" : type;
    }

    /** One element as nft writes it: {@code 10.0.0.1} or {@code 10.0.0.1 : jump in-x/a}. */
    static String element(String key, String value) {
        return value == null ? key : key + " : " + value;
    }
}
