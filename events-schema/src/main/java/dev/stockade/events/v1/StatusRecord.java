package dev.stockade.events.v1;

/**
 * Value of a {@code stockade.status} record. {@code type} says which fields are set:
 * <ul>
 *   <li>{@code Rejected} (key {@code Kind/namespace/name}): the compiler refused the object;
 *       {@code kind}, {@code namespace}, {@code name}, {@code field} and {@code reason} say which and why.</li>
 *   <li>{@code Realized} (key {@code Node//<node>}): the node's agent applied {@code generation}.</li>
 *   <li>{@code NotRealized} (key {@code Node//<node>}): the agent failed to apply {@code generation};
 *       {@code reason} is its error.</li>
 * </ul>
 * {@code node} and {@code generation} were added to version 1 compatibly (absent in older records).
 */
public record StatusRecord(int schemaVersion, String type, String kind, String namespace, String name, String field,
                           String reason, long observedAtMillis, String node, Long generation) {

    public static final int VERSION = 1;
    public static final String REJECTED = "Rejected";
    public static final String REALIZED = "Realized";
    public static final String NOT_REALIZED = "NotRealized";

    public static StatusRecord rejected(String kind, String namespace, String name, String field, String reason,
                                        long observedAtMillis) {
        return new StatusRecord(VERSION, REJECTED, kind, namespace, name, field, reason, observedAtMillis, null, null);
    }

    public static StatusRecord realized(String node, long generation, long observedAtMillis) {
        return new StatusRecord(VERSION, REALIZED, "Node", "", node, null, null, observedAtMillis, node, generation);
    }

    public static StatusRecord notRealized(String node, long generation, String error, long observedAtMillis) {
        return new StatusRecord(VERSION, NOT_REALIZED, "Node", "", node, null, error, observedAtMillis, node, generation);
    }
}
