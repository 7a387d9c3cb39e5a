package dev.stockade.dispatcher;

import java.time.Duration;
import java.util.Map;

/**
 * What a dispatcher replica needs to know, as plain values (the Quarkus adapter maps its typed
 * configuration onto this; tests and the embedded demo use {@link #defaults}).
 *
 * @param pool              the node pool served: nodes whose {@code stockade.dev/pool} label has this value
 *                          ({@value NodePools#DEFAULT_POOL} = nodes without the label or without a Node object)
 * @param replicaId         this replica's name (pod name); names its Kafka clients and resync requests
 * @param bootstrapServers  Kafka bootstrap servers
 * @param resourcesTopic    compacted resources topic (read whole, for Node objects' pool labels)
 * @param rulesTopic        per-node deltas and snapshots, keyed by node
 * @param statusTopic       where ACK/NACKs become {@code Realized}/{@code NotRealized} records
 * @param controlTopic      where resync requests go to the active compiler
 * @param ringSize          deltas kept per node for resuming agents (the "breadcrumbs"); an agent further
 *                          behind than this gets a snapshot
 * @param maxInFlight       frames written to one agent and not yet flushed, at most; a slower agent simply
 *                          falls behind (its cursor stops) and never holds memory beyond this
 * @param resyncRetry       how long a resync request for a node stays pending before it is asked again
 * @param pollTimeout       how long one poll of the rules topic waits
 * @param kafkaProperties   extra Kafka client properties (TLS, SASL), applied last; never logged
 */
public record DispatcherSettings(String pool, String replicaId, String bootstrapServers, String resourcesTopic,
                                 String rulesTopic, String statusTopic, String controlTopic, int ringSize,
                                 int maxInFlight, Duration resyncRetry, Duration pollTimeout,
                                 Map<String, String> kafkaProperties) {

    public DispatcherSettings {
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (ringSize < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("ringSize and maxInFlight must be at least 1");
        }
    }

    /** Default topics, a ring of 64 deltas per node, 8 frames in flight per agent. */
    public static DispatcherSettings defaults(String bootstrapServers, String pool, String replicaId) {
        return new DispatcherSettings(pool, replicaId, bootstrapServers, "stockade.resources", "stockade.rules",
                "stockade.status", "stockade.control", 64, 8, Duration.ofSeconds(5), Duration.ofMillis(50), Map.of());
    }

    /** The consumer group of the pool's replicas: they share the rules topic's partitions. */
    public String groupId() {
        return "stockade-dispatcher-" + pool;
    }
}
