package dev.stockade.cli;

import java.util.Map;
import java.util.TreeMap;

/** {@code --kafka-property KEY=VALUE} arguments: parsed, and their values kept out of any message. */
final class KafkaPropertyArguments {

    private KafkaPropertyArguments() {
    }

    /** KEY=VALUE entries by key; IllegalArgumentException (naming no value) for an entry without '='. */
    static Map<String, String> parse(Iterable<String> entries) {
        Map<String, String> properties = new TreeMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--kafka-property needs KEY=VALUE (the value is not shown)");
            }
            properties.put(entry.substring(0, equals).trim(), entry.substring(equals + 1));
        }
        return properties;
    }

    /** The text with every property value replaced by ***. */
    static String redact(String text, Map<String, String> properties) {
        String redacted = text == null ? "" : text;
        for (String value : properties.values()) {
            if (!value.isEmpty()) {
                redacted = redacted.replace(value, "***");
            }
        }
        return redacted;
    }
}
