package dev.stockade.dispatcher;

import java.util.Properties;
import dev.stockade.kafka.GroupFailover;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Consumer configurations of a dispatcher replica; {@code kafkaProperties} (TLS, SASL) apply last. */
final class KafkaClients {

    private KafkaClients() {
    }

    /** The pool's share of the rules topic: group {@code stockade-dispatcher-<pool>}, read_committed, manual commits. */
    static Properties rulesConsumer(DispatcherSettings settings) {
        Properties properties = base(settings, "rules");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        // A survivor learns of a rebalance (a dead replica evicted) at its next heartbeat: within 300 ms.
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // The broker answers a fetch as soon as a committed record is readable (read_committed included:
        // a transaction's commit marker completes the waiting fetch), so a long wait costs no latency;
        // 10 ms made every idle replica send 100 fetches a second and kept the brokers and itself busy
        // (RELIABILITY.md). Kafka's default, said here because it was once set lower.
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        // A partition moves only when its owner is gone or the pool's share is unbalanced, and a
        // replica keeps the rest while it moves (cooperative); the replica is the group's static
        // member under its own name (GroupFailover): a restarted replica rejoins as itself, and
        // a killed one is evicted when it leaves the pool's JGroups view.
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        GroupFailover.staticMember(properties, settings.replicaId());
        properties.putAll(settings.kafkaProperties());
        return properties;
    }

    /** The whole resources topic, for Node records: no group (assign + seek), never commits. */
    static Properties resourcesReader(DispatcherSettings settings) {
        Properties properties = base(settings, "resources");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        properties.putAll(settings.kafkaProperties());
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return properties;
    }

    private static Properties base(DispatcherSettings settings, String purpose) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-" + settings.replicaId() + "-" + purpose);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }
}
