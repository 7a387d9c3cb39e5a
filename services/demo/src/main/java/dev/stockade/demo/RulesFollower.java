package dev.stockade.demo;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the committed deltas on {@code stockade.rules} and folds them per node, as agents would;
 * hands each delta to a sink as it arrives (the demo prints them). After every poll it notes whether
 * it has read every partition to its committed end.
 */
final class RulesFollower implements Runnable, AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<NodeDelta> sink;
    private final DeltaFold fold = new DeltaFold();
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    RulesFollower(String bootstrapServers, String topic, Consumer<NodeDelta> sink) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "stockade-demo-follower-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(topic));
        this.sink = sink;
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    var type = record.headers().lastHeader(RulesTopic.TYPE_HEADER);
                    if (!RulesTopic.isSnapshot(type == null ? null : type.value())) {
                        NodeDelta delta = decode(record.value());
                        synchronized (fold) {
                            fold.apply(delta);
                        }
                        sink.accept(delta);
                    }
                }
                caughtUp = atEnd();
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Read every assigned partition to its last committed record (as of the last poll). */
    boolean caughtUp() {
        return caughtUp;
    }

    /** Reads the folded rule sets under the fold's lock. */
    <T> T read(Function<DeltaFold, T> reader) {
        synchronized (fold) {
            return reader.apply(fold);
        }
    }

    private boolean atEnd() {
        if (consumer.assignment().isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static NodeDelta decode(byte[] value) {
        try {
            return RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(value));
        } catch (WireFormatException e) {
            throw new IllegalStateException("the compiler published a delta that does not decode: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
