package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the resources topic from the beginning, as the compiler would ({@code read_committed}):
 * every record in order, and the latest value per key (an empty Optional for a tombstone).
 */
final class TopicTail implements AutoCloseable {

    /** One record: key and the object it carries (null for a tombstone). */
    record Entry(String key, ResourceRecord value) {
        boolean tombstone() {
            return value == null;
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Entry> records = new ArrayList<>();

    TopicTail(String bootstrap, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // As the compiler reads it: what a fenced (deposed) leader sent is never seen.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Polls until the latest-per-key view satisfies the condition, or fails after the timeout. */
    Map<String, Optional<JsonNode>> awaitLatest(String what, Predicate<Map<String, Optional<JsonNode>>> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            poll();
            Map<String, Optional<JsonNode>> latest = latest();
            if (condition.test(latest)) {
                return latest;
            }
        }
        fail("timed out waiting for " + what + "; topic holds " + latest().keySet() + " after " + records.size()
                + " records: " + records.stream().map(e -> e.key() + (e.tombstone() ? "=tombstone" : "")).toList());
        return null;
    }

    /** Reads for a while and returns every record seen so far (for "nothing else arrived" checks). */
    List<Entry> settle(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
        }
        return List.copyOf(records);
    }

    List<Entry> records() {
        return List.copyOf(records);
    }

    Map<String, Optional<JsonNode>> latest() {
        Map<String, Optional<JsonNode>> latest = new LinkedHashMap<>();
        records.forEach(e -> latest.put(e.key(), Optional.ofNullable(e.value()).map(ResourceRecord::object)));
        return latest;
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            try {
                records.add(new Entry(record.key(), record.value() == null ? null
                        : WireJson.decodeResource(record.value())));
            } catch (WireFormatException e) {
                fail("undecodable record for " + record.key() + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
