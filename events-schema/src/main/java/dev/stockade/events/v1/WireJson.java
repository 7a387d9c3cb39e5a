package dev.stockade.events.v1;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The JSON encoding of every v1 record. Why JSON: the resources topic carries Kubernetes objects,
 * which are JSON already; records stay readable with any Kafka console tool when debugging a
 * replay; Jackson needs no code generation. Encoding is deterministic (fields in declaration order,
 * map entries sorted), so equal records are equal bytes. Unknown fields are ignored (compatible
 * additions); an unknown {@code schemaVersion} is refused.
 *
 * <p>Decoding never throws anything but {@link WireFormatException}, whatever the bytes. Its message
 * names the record's object as far as it can be read ({@code rule delta of node n1 generation 7},
 * {@code resource record of Pod tenant-a/web-1}) and the field at fault
 * ({@code policies.added[0].rules[0].ports[1].protocol}); rule records are checked by
 * {@link RecordCheck}, so what decodes also converts with {@link RuleDeltaCodec}.
 */
public final class WireJson {

    /*
     * Limits on what a record may be, far above anything Stockade writes, so that broken or hostile
     * input is refused while parsing instead of costing a deep stack or the heap. Nesting: a rule
     * delta nests 7 deep, an agent frame 8, a resource record's trimmed object about 10 (Jackson's
     * default allows 1,000). One string: the longest a record carries are annotation values, which
     * Kubernetes caps at 256 KiB for all of an object's annotations together (default 20 MB). One
     * number: ours are ints and longs (default 1,000 digits).
     */
    static final int MAX_NESTING_DEPTH = 100;
    static final int MAX_STRING_LENGTH = 1 << 20;
    static final int MAX_NUMBER_LENGTH = 100;
    private static final int SHORT_TEXT = 80;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH).maxNumberLength(MAX_NUMBER_LENGTH).build())
                    .build())
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
        Parsed parsed = versionedTree(bytes, ResourceRecord.class, ResourceRecord.VERSION);
        JsonNode object = parsed.tree().remove("object");
        if (object == null || !object.isObject()) {
            throw parsed.refused("object: " + (object == null || object.isNull() ? "missing" : "must be an object"));
        }
        // The object is kept as parsed: binding it with the rest would build its whole tree a second time.
        ResourceRecord header = bind(parsed, ResourceRecord.class);
        return new ResourceRecord(header.schemaVersion(), header.resourceVersion(), header.observedAtMillis(), object);
    }

    public static RuleDeltaRecord decodeRuleDelta(byte[] bytes) throws WireFormatException {
        return checked(decode(bytes, RuleDeltaRecord.class, RuleDeltaRecord.VERSION));
    }

    public static StatusRecord decodeStatus(byte[] bytes) throws WireFormatException {
        return decode(bytes, StatusRecord.class, StatusRecord.VERSION).value();
    }

    /**
     * A frame of the agent stream; a {@code snapshot} or {@code delta} frame must carry its record,
     * of the supported version and complete, as {@link #decodeRuleSet} and {@link #decodeRuleDelta} ask.
     */
    public static AgentStreamMessage decodeAgentMessage(byte[] bytes) throws WireFormatException {
        Decoded<AgentStreamMessage> decoded = decode(bytes, AgentStreamMessage.class, AgentStreamMessage.VERSION);
        AgentStreamMessage message = decoded.value();
        if (message.type() == null) {
            throw decoded.parsed().refused("type: missing");
        }
        if (AgentStreamMessage.SNAPSHOT.equals(message.type())) {
            nested(decoded, "snapshot", message.snapshot(), RuleSetRecord.VERSION);
        } else if (AgentStreamMessage.DELTA.equals(message.type())) {
            nested(decoded, "delta", message.delta(), RuleDeltaRecord.VERSION);
        }
        return message;
    }

    public static RuleSetRecord decodeRuleSet(byte[] bytes) throws WireFormatException {
        return checked(decode(bytes, RuleSetRecord.class, RuleSetRecord.VERSION));
    }

    public static ControlRecord decodeControl(byte[] bytes) throws WireFormatException {
        Decoded<ControlRecord> decoded = decode(bytes, ControlRecord.class, ControlRecord.VERSION);
        if (decoded.value().type() == null) {
            throw decoded.parsed().refused("type: missing");
        }
        return decoded.value();
    }

    public static DeadLetterRecord decodeDeadLetter(byte[] bytes) throws WireFormatException {
        return decode(bytes, DeadLetterRecord.class, DeadLetterRecord.VERSION).value();
    }

    /** The record's JSON tree and the name of its object, for messages. */
    private record Parsed(ObjectNode tree, String name) {
        WireFormatException refused(String problem) {
            return new WireFormatException(name + ": " + problem);
        }
    }

    private record Decoded<T>(Parsed parsed, T value) {
    }

    private static <T> Decoded<T> decode(byte[] bytes, Class<T> type, int version) throws WireFormatException {
        Parsed parsed = versionedTree(bytes, type, version);
        return new Decoded<>(parsed, bind(parsed, type));
    }

    private static <T extends Record> T checked(Decoded<T> decoded) throws WireFormatException {
        Optional<String> problem = RecordCheck.problem(decoded.value());
        if (problem.isPresent()) {
            throw decoded.parsed().refused(problem.get());
        }
        return decoded.value();
    }

    /** The snapshot or delta of an agent stream frame: present, of its version, complete. */
    private static void nested(Decoded<?> frame, String field, Record record, int version) throws WireFormatException {
        JsonNode found = frame.parsed().tree().path(field).path("schemaVersion");
        if (record == null) {
            throw frame.parsed().refused(field + ": missing");
        }
        if (!isVersion(found, version)) {
            throw frame.parsed().refused(field + ".schemaVersion " + versionText(found) + " is not supported (expected "
                    + version + ")");
        }
        Optional<String> problem = RecordCheck.problem(record);
        if (problem.isPresent()) {
            throw frame.parsed().refused(field + "." + problem.get());
        }
    }

    /** The record as a tree, after checking that it is a JSON object of the expected schemaVersion. */
    private static Parsed versionedTree(byte[] bytes, Class<?> type, int version) throws WireFormatException {
        if (bytes == null) {
            throw new WireFormatException("no value");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new WireFormatException("not JSON: " + shortText(bytes) + " (" + firstLine(reason) + ")", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new WireFormatException("not a JSON object: " + shortText(bytes));
        }
        Parsed parsed = new Parsed((ObjectNode) tree, RecordNames.of(type, tree));
        JsonNode found = tree.path("schemaVersion");
        if (!isVersion(found, version)) {
            throw parsed.refused(type.getSimpleName() + " schemaVersion " + versionText(found)
                    + " is not supported (expected " + version + ")");
        }
        return parsed;
    }

    /** An integral number equal to the version (1 and 1.0; not "1", not 4294967297, which an int would wrap to 1). */
    private static boolean isVersion(JsonNode found, int version) {
        return found.isNumber() && found.canConvertToExactIntegral() && found.canConvertToInt()
                && found.asInt() == version;
    }

    private static String versionText(JsonNode found) {
        return found.isMissingNode() ? "(none)" : found.isNumber() ? found.toString() : quoted(found.toString());
    }

    private static <T> T bind(Parsed parsed, Class<T> type) throws WireFormatException {
        try {
            return MAPPER.treeToValue(parsed.tree(), type);
        } catch (JsonMappingException e) {
            String field = fieldPath(e);
            throw new WireFormatException(parsed.name() + ": " + (field.isEmpty() ? "" : field + ": ")
                    + firstLine(e.getOriginalMessage()), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new WireFormatException(parsed.name() + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** Jackson's reference chain as a field path: {@code policies.added[0].rules}. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() == null) {
                path.append('[').append(reference.getIndex()).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
        }
        return path.toString();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no reason given";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** Text from a record for a message: quoted, and cut to its first 80 characters. */
    static String quoted(String text) {
        return "'" + (text.length() > SHORT_TEXT ? text.substring(0, SHORT_TEXT) + "...' (" + text.length()
                + " characters)" : text + "'");
    }

    private static String shortText(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 4 * SHORT_TEXT), StandardCharsets.UTF_8);
        return text.length() > SHORT_TEXT ? text.substring(0, SHORT_TEXT) + "..." : text;
    }
}
