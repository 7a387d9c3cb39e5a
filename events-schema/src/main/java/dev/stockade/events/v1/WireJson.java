package dev.stockade.events.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON encoding of every v1 record. Why JSON: the resources topic carries Kubernetes objects,
 * which are JSON already; records stay readable with any Kafka console tool when debugging a
 * replay; Jackson needs no code generation. Encoding is deterministic (fields in declaration order,
 * map entries sorted), so equal records are equal bytes. Unknown fields are ignored (compatible
 * additions); an unknown {@code schemaVersion} is refused.
 */
public final class WireJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private WireJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    public static ResourceRecord decodeResource(byte[] bytes) throws WireFormatException {
        ObjectNode tree = versionedTree(bytes, ResourceRecord.class, ResourceRecord.VERSION);
        JsonNode object = tree.remove("object");
        if (object == null || !object.isObject()) {
            throw new WireFormatException("resource record has no object");
        }
        // The object is kept as parsed: binding it with the rest would build its whole tree a second time.
        ResourceRecord header = bind(tree, ResourceRecord.class);
        return new ResourceRecord(header.schemaVersion(), header.resourceVersion(), header.observedAtMillis(), object);
    }

    public static RuleDeltaRecord decodeRuleDelta(byte[] bytes) throws WireFormatException {
        RuleDeltaRecord record = decode(bytes, RuleDeltaRecord.class, RuleDeltaRecord.VERSION);
        if (record.node() == null || record.policies() == null || record.appliedToGroups() == null
                || record.addressGroups() == null) {
            throw new WireFormatException("rule delta record lacks node or patches");
        }
        return record;
    }

    public static StatusRecord decodeStatus(byte[] bytes) throws WireFormatException {
        return decode(bytes, StatusRecord.class, StatusRecord.VERSION);
    }

    public static AgentStreamMessage decodeAgentMessage(byte[] bytes) throws WireFormatException {
        AgentStreamMessage message = decode(bytes, AgentStreamMessage.class, AgentStreamMessage.VERSION);
        if (message.type() == null) {
            throw new WireFormatException("agent stream message has no type");
        }
        return message;
    }

    public static RuleSetRecord decodeRuleSet(byte[] bytes) throws WireFormatException {
        RuleSetRecord record = decode(bytes, RuleSetRecord.class, RuleSetRecord.VERSION);
        if (record.node() == null || record.policies() == null || record.appliedToGroups() == null
                || record.addressGroups() == null) {
            throw new WireFormatException("rule set record lacks node or lists");
        }
        return record;
    }

    public static ControlRecord decodeControl(byte[] bytes) throws WireFormatException {
        ControlRecord record = decode(bytes, ControlRecord.class, ControlRecord.VERSION);
        if (record.type() == null) {
            throw new WireFormatException("control record has no type");
        }
        return record;
    }

    public static DeadLetterRecord decodeDeadLetter(byte[] bytes) throws WireFormatException {
        return decode(bytes, DeadLetterRecord.class, DeadLetterRecord.VERSION);
    }

    private static <T> T decode(byte[] bytes, Class<T> type, int version) throws WireFormatException {
        return bind(versionedTree(bytes, type, version), type);
    }

    /** The record as a tree, after checking that it is a JSON object of the expected schemaVersion. */
    private static ObjectNode versionedTree(byte[] bytes, Class<?> type, int version) throws WireFormatException {
        if (bytes == null) {
            throw new WireFormatException("no value");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new WireFormatException("not JSON: " + shortText(bytes), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new WireFormatException("not a JSON object: " + shortText(bytes));
        }
        int found = tree.path("schemaVersion").asInt(-1);
        if (found != version) {
            throw new WireFormatException(type.getSimpleName() + " schemaVersion " + found + " is not supported (expected "
                    + version + ")");
        }
        return (ObjectNode) tree;
    }

    private static <T> T bind(ObjectNode tree, Class<T> type) throws WireFormatException {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new WireFormatException("malformed " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String shortText(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
