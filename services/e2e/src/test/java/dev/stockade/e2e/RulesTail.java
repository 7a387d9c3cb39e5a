package dev.stockade.e2e;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.WireJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the committed per-node deltas of {@code stockade.rules} (snapshots skipped). */
final class RulesTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;

    RulesTail(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-rules-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("stockade.rules"));
    }

    /** Every delta until none arrives for {@code quiet} (at most a minute). */
    List<NodeDelta> drain(Duration quiet) throws Exception {
        List<NodeDelta> deltas = new ArrayList<>();
        long quietUntil = System.nanoTime() + quiet.toNanos();
        long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < quietUntil && System.nanoTime() < giveUp) {
            var records = consumer.poll(Duration.ofMillis(100));
            for (var record : records) {
                var type = record.headers().lastHeader(RulesTopic.TYPE_HEADER);
                if (!RulesTopic.isSnapshot(type == null ? null : type.value())) {
                    deltas.add(RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(record.value())));
                }
            }
            if (!records.isEmpty()) {
                quietUntil = System.nanoTime() + quiet.toNanos();
            }
        }
        return deltas;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
