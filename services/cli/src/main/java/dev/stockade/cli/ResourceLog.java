package dev.stockade.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Partition 0 of the resources topic, read as the compiler reads it: {@code read_committed}, from
 * the log's first offset, in offset order. The consumer never joins a group (assign + seek) and
 * never commits, so a replay leaves no trace on the cluster.
 *
 * <p>"End" is the end a read_committed reader sees when the log is opened (the last stable
 * offset): records produced later, or in transactions still open then, are not part of a replay,
 * so the same range replays the same records however the log grows.
 */
final class ResourceLog implements AutoCloseable {

    /** One record in offset order; {@code value} null is a tombstone (a deletion). */
    @FunctionalInterface
    interface RecordSink {
        void accept(long offset, String key, byte[] value);
    }

    /** How long a read may make no progress before it is reported as stalled. */
    static final Duration STALL = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final long end;

    private ResourceLog(KafkaConsumer<String, byte[]> consumer, TopicPartition partition) {
        this.consumer = consumer;
        this.partition = partition;
        consumer.assign(List.of(partition));
        this.end = consumer.endOffsets(List.of(partition)).get(partition);
    }

    /**
     * Opens partition 0 of {@code topic}. {@code extra} (TLS, SASL, timeouts) applies after the
     * defaults but cannot make the reader join a group, commit, or read uncommitted records.
     * Throws IllegalArgumentException when the topic does not exist.
     */
    static ResourceLog open(String bootstrap, String topic, Map<String, String> extra) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties(bootstrap, extra));
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + bootstrap);
            }
            return new ResourceLog(consumer, new TopicPartition(topic, 0));
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    static Properties properties(String bootstrap, Map<String, String> extra) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "stockade-replay");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        properties.putAll(extra);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    /** The offset after the last record a read_committed reader could see when the log was opened. */
    long end() {
        return end;
    }

    /**
     * The first offset whose record has a timestamp at or after {@code epochMillis} (the broker's
     * time index), empty when there is none before {@link #end()}.
     */
    OptionalLong firstOffsetAtOrAfter(long epochMillis) {
        OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(partition, epochMillis)).get(partition);
        return found == null || found.offset() >= end ? OptionalLong.empty() : OptionalLong.of(found.offset());
    }

    /**
     * Delivers every committed record from the start of the log up to (not including) {@code until},
     * which must not be past {@link #end()}. Throws IllegalStateException when the broker sends
     * nothing for {@link #STALL}.
     */
    void read(long until, RecordSink sink) {
        consumer.seekToBeginning(List.of(partition));
        long lastProgress = System.nanoTime();
        long position = consumer.position(partition);
        while (position < until) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                if (record.offset() >= until) {
                    break;
                }
                sink.accept(record.offset(), record.key(), record.value());
            }
            long next = consumer.position(partition);
            if (next > position) {
                position = next;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new IllegalStateException("no progress reading " + partition + " at offset " + position + " for "
                        + STALL.toSeconds() + " s (broker unreachable, or a transaction left open?)");
            }
        }
    }

    @Override
    public void close() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        } catch (KafkaException e) {
            // closing a reader that never committed anything cannot lose data
        }
    }
}
