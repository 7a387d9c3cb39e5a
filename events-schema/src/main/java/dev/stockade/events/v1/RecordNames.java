package dev.stockade.events.v1;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a record is about, read from its JSON tree as far as it can be, for the messages of
 * {@link WireFormatException}s: {@code rule delta of node n1 generation 7}, {@code resource record
 * of Pod tenant-a/web-1}, {@code agent stream hello frame of node n1}. Fields that are missing or
 * not text (numbers for generations and offsets) are left out.
 */
final class RecordNames {

    private RecordNames() {
    }

    static String of(Class<?> type, JsonNode tree) {
        if (type == ResourceRecord.class) {
            JsonNode object = tree.path("object");
            JsonNode metadata = object.path("metadata");
            return "resource record" + text(" of ", object.path("kind"))
                    + text(" ", metadata.path("namespace")) + text(metadata.path("namespace").isTextual() ? "/" : " ",
                    metadata.path("name"));
        }
        if (type == RuleDeltaRecord.class) {
            return "rule delta" + ofNode(tree);
        }
        if (type == RuleSetRecord.class) {
            return "rule set" + ofNode(tree);
        }
        if (type == AgentStreamMessage.class) {
            return "agent stream" + text(" ", tree.path("type")) + " frame" + ofNode(tree);
        }
        if (type == StatusRecord.class) {
            return "status record" + text(" ", tree.path("type")) + text(" of ", tree.path("kind"))
                    + text(" ", tree.path("namespace")) + text("/", tree.path("name"));
        }
        if (type == ControlRecord.class) {
            return "control record" + text(" ", tree.path("type")) + text(" from ", tree.path("requestedBy"));
        }
        if (type == DeadLetterRecord.class) {
            return "dead letter" + text(" of ", tree.path("topic")) + number("-", tree.path("partition"))
                    + number("@", tree.path("offset"));
        }
        return type.getSimpleName();
    }

    private static String ofNode(JsonNode tree) {
        return text(" of node ", tree.path("node")) + number(" generation ", tree.path("generation"));
    }

    private static String text(String before, JsonNode value) {
        return value.isTextual() ? before + abbreviated(value.textValue()) : "";
    }

    private static String number(String before, JsonNode value) {
        return value.isIntegralNumber() ? before + abbreviated(value.asText()) : "";
    }

    private static String abbreviated(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
