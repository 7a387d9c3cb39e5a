package dev.stockade.compiler;

import java.util.Properties;
import dev.stockade.kafka.GroupFailover;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Client configurations of a compiler replica; {@code kafkaProperties} (TLS, SASL, ...) apply last. */
final class KafkaClients {

    private KafkaClients() {
    }

    static Properties consumer(CompilerSettings settings) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-" + settings.replicaId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(settings.maxBatch()));
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        // A survivor learns of a rebalance (a dead replica evicted) at its next heartbeat: within 300 ms.
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
        // Both partitions to the active replica, and they stay there (ActiveReplicaAssignor); the
        // replica is the group's static member under its own name (GroupFailover): a restarted
        // replica rejoins as itself, and a killed one is evicted when it leaves the JGroups view.
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ActiveReplicaAssignor.class.getName());
        GroupFailover.staticMember(properties, settings.replicaId());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.putAll(settings.kafkaProperties());
        return properties;
    }

    /**
     * A reader of the resources topic outside the group (assign and seek, never commits), for a
     * rebuild from the topic: the group's committed offset stays where the group left it.
     */
    static Properties reader(CompilerSettings settings) {
        Properties properties = consumer(settings);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        properties.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-" + settings.replicaId() + "-rebuild");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return properties;
    }

    static Properties transactionalProducer(CompilerSettings settings) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, settings.transactionalId() + "-" + settings.replicaId());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // The commit flushes a transaction's records, so lingering never delays a delta; 1 ms cut a
        // batch every millisecond while a large transaction was being sent, and each lz4 batch
        // allocates 128 KB of buffers (BENCHMARKS.md, pipeline). 5 ms (Kafka's default) still lets
        // the first records leave while the rest are sent.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        // A transaction right after another one often meets CONCURRENT_TRANSACTIONS while the
        // coordinator writes the previous markers; retrying after 5 ms instead of 100 ms cuts the
        // p99 event-to-delta latency about fourfold (BENCHMARKS.md, pipeline section).
        properties.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
        // A batch's deltas go out together (about a megabyte of JSON for 500 pod events): large
        // batches and lz4 cut what the brokers write and every dispatcher fetches (BENCHMARKS.md).
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.putAll(settings.kafkaProperties());
        return properties;
    }
}
