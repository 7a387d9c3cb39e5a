package dev.stockade.events.v1;

/**
 * One frame of the agent stream (a WebSocket between an agent and a dispatcher replica of its
 * node pool; JSON text frames). {@code type} says which fields are set:
 * <ul>
 *   <li>{@code hello} (agent → dispatcher, first frame): {@code node}, {@code generation} = the last
 *       generation the agent applied (0 = none).</li>
 *   <li>{@code snapshot} (dispatcher → agent): {@code snapshot} = the node's whole rule set at its
 *       generation; replaces whatever the agent had.</li>
 *   <li>{@code delta} (dispatcher → agent): {@code delta} = the next generation's patches.</li>
 *   <li>{@code ack} / {@code nack} (agent → dispatcher): {@code generation} applied (ack) or not
 *       (nack, with {@code error}); after a nack the dispatcher sends a snapshot.</li>
 * </ul>
 */
public record AgentStreamMessage(int schemaVersion, String type, String node, Long generation, String error,
                                 RuleSetRecord snapshot, RuleDeltaRecord delta) {

    public static final int VERSION = 1;
    public static final String HELLO = "hello";
    public static final String SNAPSHOT = "snapshot";
    public static final String DELTA = "delta";
    public static final String ACK = "ack";
    public static final String NACK = "nack";

    public static AgentStreamMessage hello(String node, long lastGeneration) {
        return new AgentStreamMessage(VERSION, HELLO, node, lastGeneration, null, null, null);
    }

    public static AgentStreamMessage snapshot(RuleSetRecord ruleSet) {
        return new AgentStreamMessage(VERSION, SNAPSHOT, ruleSet.node(), ruleSet.generation(), null, ruleSet, null);
    }

    public static AgentStreamMessage delta(RuleDeltaRecord delta) {
        return new AgentStreamMessage(VERSION, DELTA, delta.node(), delta.generation(), null, null, delta);
    }

    public static AgentStreamMessage ack(String node, long generation) {
        return new AgentStreamMessage(VERSION, ACK, node, generation, null, null, null);
    }

    public static AgentStreamMessage nack(String node, long generation, String error) {
        return new AgentStreamMessage(VERSION, NACK, node, generation, error, null, null);
    }
}
