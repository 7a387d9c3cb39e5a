package dev.stockade.compiler;

import dev.stockade.kafka.KafkaClientProperties;
import java.time.Duration;
import java.util.Map;

/**
 * What a compiler replica needs to know, as plain values (the Quarkus adapter maps its typed
 * configuration onto this).
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param resourcesTopic   compacted input topic, one partition (one total order)
 * @param rulesTopic       per-node deltas, keyed by node
 * @param statusTopic      rejections of objects
 * @param deadLetterTopic  records that could not be decoded
 * @param controlTopic     requests to the active compiler (resync), one partition
 * @param groupId          consumer group shared by the replicas: its single partition makes one active
 * @param transactionalId  shared by the replicas, so a new active fences the old one
 * @param replicaId        this replica's name (pod name), recorded as the state's owner
 * @param maxBatch         records per transaction at most
 * @param pollTimeout      how long one poll waits
 * @param kafkaProperties  extra client properties (TLS, SASL, timeouts), applied last; never printed
 */
public record CompilerSettings(String bootstrapServers, String resourcesTopic, String rulesTopic, String statusTopic,
                               String deadLetterTopic, String controlTopic, String groupId, String transactionalId, String replicaId,
                               int maxBatch, Duration pollTimeout, Map<String, String> kafkaProperties) {

    public CompilerSettings {
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** Defaults for topics and group, for tests and the embedded demo. */
    public static CompilerSettings defaults(String bootstrapServers, String replicaId) {
        return new CompilerSettings(bootstrapServers, "stockade.resources", "stockade.rules", "stockade.status",
                "stockade.deadletter", "stockade.control", "stockade-compiler", "stockade-compiler", replicaId, 500, Duration.ofMillis(100),
                Map.of());
    }

    /** As the record's, with secret Kafka properties (JAAS config, passwords, keys) shown as {@code <redacted>}. */
    @Override
    public String toString() {
        return "CompilerSettings[bootstrapServers=" + bootstrapServers + ", resourcesTopic=" + resourcesTopic + ", rulesTopic="
                + rulesTopic + ", statusTopic=" + statusTopic + ", deadLetterTopic=" + deadLetterTopic + ", controlTopic="
                + controlTopic + ", groupId=" + groupId + ", transactionalId=" + transactionalId + ", replicaId=" + replicaId
                + ", maxBatch=" + maxBatch + ", pollTimeout=" + pollTimeout + ", kafkaProperties="
                + KafkaClientProperties.redacted(Map.<String, Object>copyOf(kafkaProperties)) + "]";
    }
}
