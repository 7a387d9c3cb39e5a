package dev.stockade.dispatcher;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stockade.events.v1.RuleDeltaRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.io.IOException;

/**
 * The top-level scalars of a {@code RuleDeltaRecord} — node, generation, source offset — read with a
 * streaming parser that skips the patches: all a dispatcher needs to file a delta, which it stores and
 * forwards as the bytes it received (agents decode the rest).
 */
record DeltaHeader(String node, long generation, long sourceOffset) {

    static DeltaHeader read(byte[] json) throws WireFormatException {
        Integer version = null;
        String node = null;
        Long generation = null;
        Long sourceOffset = null;
        try (JsonParser parser = WireJson.mapper().getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new WireFormatException("rule delta is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "schemaVersion" -> version = parser.getIntValue();
                    case "node" -> node = text(parser, value);
                    case "generation" -> generation = parser.getLongValue();
                    case "sourceOffset" -> sourceOffset = parser.getLongValue();
                    default -> parser.skipChildren();
                }
                if (value == null || (version != null && node != null && generation != null && sourceOffset != null)) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException("rule delta does not parse: " + e.getMessage(), e);
        }
        if (version == null || version != RuleDeltaRecord.VERSION) {
            throw new WireFormatException("RuleDeltaRecord schemaVersion " + version + " is not supported");
        }
        if (node == null || generation == null) {
            throw new WireFormatException("rule delta record lacks node or generation");
        }
        return new DeltaHeader(node, generation, sourceOffset == null ? -1 : sourceOffset);
    }

    /** A string value; anything else (an object whose fields would pass for the record's, a null) is refused. */
    private static String text(JsonParser parser, JsonToken value) throws IOException, WireFormatException {
        if (value != JsonToken.VALUE_STRING) {
            throw new WireFormatException("rule delta's node is not a string but " + value);
        }
        return parser.getText();
    }
}
