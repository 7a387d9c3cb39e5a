package dev.stockade.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Kafka clients of the pipeline benchmark, configured as the services configure theirs. */
public final class BenchClients {

    private BenchClients() {
    }

    /**
     * The listener's producer ({@code services/listener} {@code KafkaClientProperties}): idempotent,
     * {@code acks=all}, {@code linger.ms=5}, lz4.
     */
    public static KafkaProducer<String, byte[]> listenerProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /**
     * A read_committed reader that joins no group, assigned every partition of {@code topic} at the
     * given position ({@code fromEnd}: only records produced from now on).
     */
    public static KafkaConsumer<String, byte[]> reader(String bootstrap, String topic, boolean fromEnd) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        } else {
            consumer.seekToBeginning(partitions);
        }
        return consumer;
    }

    /** The read_committed end offset of every partition of {@code topic}. */
    public static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = reader(bootstrap, topic, true)) {
            return consumer.endOffsets(consumer.assignment());
        }
    }

    /** The records of {@code topic} from the offsets {@code from} up to {@code to} (both per partition). */
    public static List<BenchRecords.Entry> readBetween(String bootstrap, String topic, Map<TopicPartition, Long> from,
                                                       Map<TopicPartition, Long> to) {
        List<BenchRecords.Entry> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = reader(bootstrap, topic, false)) {
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (to.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to " + to);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < to.get(partition)) {
                        records.add(new BenchRecords.Entry(record.key(), record.value()));
                    }
                }
            }
        }
        return records;
    }

    /** Blocks until {@code group} has committed at least {@code offset} on partition 0 of {@code topic}. */
    public static void awaitCommitted(String bootstrap, String group, String topic, long offset, Duration timeout)
            throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                OffsetAndMetadata at = committed.get(partition);
                if (at != null && at.offset() >= offset) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(group + " did not commit offset " + offset + " of " + topic + " within " + timeout);
    }
}
