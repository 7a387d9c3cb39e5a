package dev.stockade.listener;

import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the whole compacted resources topic, from the beginning to the end offsets it had when
 * the read began, with a plain consumer (assigned partitions, no group, no commits), and returns
 * what it holds: the fingerprint of the latest record of every key that is not a tombstone.
 * Keys that are not {@code Kind/namespace/name} are not Stockade's and are left out; a value
 * that cannot be decoded counts as {@link Fingerprint#UNREADABLE}, so the reconcile rewrites it.
 */
public final class TopicReader {

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private final Duration timeout;

    /** {@code consumers} makes a new consumer for each read; the reader closes it. */
    public TopicReader(Supplier<Consumer<String, byte[]>> consumers, String topic, Duration timeout) {
        this.consumers = consumers;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** The topic's live keys and the fingerprints of their latest values. */
    public Map<ResourceKey, Fingerprint> read() {
        // The latest value of each key first, decoded once at the end: a key's earlier records
        // (most of an uncompacted tail) are never decoded.
        Map<ResourceKey, byte[]> latest = new HashMap<>();
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> apply(record, latest));
            }
        }
        Map<ResourceKey, Fingerprint> fingerprints = new HashMap<>();
        latest.forEach((key, value) -> {
            if (value != null) {
                fingerprints.put(key, fingerprint(value));
            }
        });
        return fingerprints;
    }

    private List<TopicPartition> partitions(Consumer<String, byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static boolean reachedEnd(Consumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static void apply(ConsumerRecord<String, byte[]> record, Map<ResourceKey, byte[]> latest) {
        ResourceKey.decode(record.key()).ifPresent(key -> latest.put(key, record.value()));
    }

    private static Fingerprint fingerprint(byte[] value) {
        try {
            ResourceRecord record = WireJson.decodeResource(value);
            return Fingerprint.of(record.object());
        } catch (WireFormatException e) {
            return Fingerprint.UNREADABLE;
        }
    }
}
