package dev.stockade.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RuleSetRecord;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kube.Converted;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.kube.ManifestReader;
import dev.stockade.localkafka.LocalKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives a compiler pipeline on a real broker: publishes resource records as the listener would,
 * keeps a reference engine fed with the same events, and reads back what the compiler published.
 */
final class PipelineHarness implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    private final KubeObjectConverter converter = new KubeObjectConverter();
    private final Engine reference = new Engine();
    private final KafkaConsumer<String, byte[]> rules;
    private final KafkaConsumer<String, byte[]> status;
    private final KafkaConsumer<String, byte[]> deadLetters;

    PipelineHarness(LocalKafka kafka) {
        this(kafka.bootstrapServers());
    }

    PipelineHarness(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(producerProperties);
        rules = reader("stockade.rules");
        status = reader("stockade.status");
        deadLetters = reader("stockade.deadletter");
    }

    static void createTopics(LocalKafka kafka) {
        kafka.createTopic("stockade.resources", 1, true);
        kafka.createTopic("stockade.rules", 3, false);
        kafka.createTopic("stockade.status", 1, true);
        kafka.createTopic("stockade.deadletter", 1, false);
        kafka.createTopic("stockade.control", 1, false);
    }

    static CompilerLoop replica(LocalKafka kafka, String name, org.infinispan.Cache<String, Object> cache) {
        return replica(kafka.bootstrapServers(), name, cache);
    }

    static CompilerLoop replica(String bootstrapServers, String name, org.infinispan.Cache<String, Object> cache) {
        return new CompilerLoop(CompilerSettings.defaults(bootstrapServers, name), cache,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Clock.systemUTC());
    }

    /** Publishes an object (as the listener would) and feeds the reference engine. */
    void upsert(JsonNode object) {
        ResourceKey key = ResourceKey.of(converter.identity(object).orElseThrow().ref());
        send(key.encode(), WireJson.encode(ResourceRecord.of(object.path("metadata").path("resourceVersion").asText(null),
                System.currentTimeMillis(), object)));
        Converted converted = converter.convert(object);
        converted.resource().ifPresent(resource -> reference.apply(ResourceEvent.modified(resource)));
    }

    /** Publishes a tombstone and feeds the reference engine. */
    void delete(JsonNode object) {
        var identity = converter.identity(object).orElseThrow();
        send(ResourceKey.of(identity.ref()).encode(), null);
        reference.apply(ResourceEvent.deleted(identity));
    }

    void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>("stockade.resources", key, value), (metadata, failure) -> {
            if (failure != null) {
                throw new IllegalStateException("a resource record was not acknowledged", failure);
            }
        });
    }

    /** Every object of a conformance case's manifests, then its events. */
    void feedCase(Path caseDir) throws IOException {
        ManifestReader reader = new ManifestReader();
        for (Path file : ManifestReader.manifestFiles(caseDir.resolve("manifests"))) {
            reader.objects(file).forEach(document -> upsert(document.object()));
        }
        Path events = caseDir.resolve("events.jsonl");
        if (Files.exists(events)) {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(events)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = json.readTree(line);
                if (event.path("type").asText().equals("DELETED")) {
                    delete(event.path("object"));
                } else {
                    upsert(event.path("object"));
                }
            }
        }
        producer.flush();
    }

    Engine reference() {
        return reference;
    }

    /** Deltas published so far (committed only), decoded, in per-node order, until nothing arrives for {@code quiet}. */
    List<NodeDelta> drainRules(List<NodeDelta> into, Duration quiet) throws Exception {
        return drainRules(into, new ArrayList<>(), quiet);
    }

    /** Deltas into {@code deltas}, snapshots (sent on a resync request) into {@code snapshots}. */
    List<NodeDelta> drainRules(List<NodeDelta> deltas, List<RuleSetRecord> snapshots, Duration quiet) throws Exception {
        for (ConsumerRecord<String, byte[]> record : drain(rules, quiet)) {
            var type = record.headers().lastHeader(RulesTopic.TYPE_HEADER);
            if (RulesTopic.isSnapshot(type == null ? null : type.value())) {
                snapshots.add(WireJson.decodeRuleSet(record.value()));
            } else {
                deltas.add(RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(record.value())));
            }
        }
        return deltas;
    }

    /** The committed records of {@code stockade.rules} (deltas and snapshots), in per-node order, until quiet. */
    List<ConsumerRecord<String, byte[]>> drainRuleRecords(Duration quiet) {
        return drain(rules, quiet);
    }

    /** Asks the active compiler for snapshots of these nodes (all when empty). */
    void requestResync(List<String> nodes) {
        producer.send(new ProducerRecord<>("stockade.control", "test",
                WireJson.encode(dev.stockade.events.v1.ControlRecord.resync(nodes, "test"))));
        producer.flush();
    }

    List<ConsumerRecord<String, byte[]>> drainStatus(Duration quiet) {
        return drain(status, quiet);
    }

    List<ConsumerRecord<String, byte[]>> drainDeadLetters(Duration quiet) {
        return drain(deadLetters, quiet);
    }

    private static List<ConsumerRecord<String, byte[]>> drain(KafkaConsumer<String, byte[]> consumer, Duration quiet) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long quietUntil = System.nanoTime() + quiet.toNanos();
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < quietUntil && System.nanoTime() < giveUp) {
            var polled = consumer.poll(Duration.ofMillis(100));
            if (!polled.isEmpty()) {
                polled.forEach(records::add);
                quietUntil = System.nanoTime() + quiet.toNanos();
            }
        }
        return records;
    }

    private KafkaConsumer<String, byte[]> reader(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + topic + "-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @Override
    public void close() {
        producer.close();
        rules.close();
        status.close();
        deadLetters.close();
    }

}
