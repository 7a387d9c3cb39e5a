package dev.stockade.dispatcher;

import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleSetRecord;
import dev.stockade.events.v1.WireJson;
import java.nio.charset.StandardCharsets;

/**
 * Text frames of the agent stream ({@link AgentStreamMessage} as JSON). A delta frame wraps the
 * delta's JSON exactly as the compiler published it: the same bytes {@code WireJson} would write for
 * {@code AgentStreamMessage.delta(record)}, without decoding and re-encoding the record.
 */
public final class Frames {

    private Frames() {
    }

    /** The frame of {@code AgentStreamMessage.delta(d)} where {@code deltaJson} is {@code d}'s encoding. */
    public static String delta(String node, long generation, String deltaJson) {
        return "{\"schemaVersion\":" + AgentStreamMessage.VERSION + ",\"type\":\"" + AgentStreamMessage.DELTA
                + "\",\"node\":" + new String(WireJson.encode(node), StandardCharsets.UTF_8) + ",\"generation\":" + generation
                + ",\"error\":null,\"snapshot\":null,\"delta\":" + deltaJson + "}";
    }

    public static String snapshot(RuleSetRecord ruleSet) {
        return new String(WireJson.encode(AgentStreamMessage.snapshot(ruleSet)), StandardCharsets.UTF_8);
    }
}
