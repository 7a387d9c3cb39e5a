package dev.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.kube.ManifestReader;
import dev.stockade.localkafka.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A resources topic written as the listener writes it: the tenant-a example (offsets 0-9: three
 * nodes, the namespace, five pods, pol1), then a story of changes (offsets 10-14). Record
 * timestamps are {@link #BASE_MILLIS} + 1 s per offset. It also feeds a reference engine with the
 * same events, one prefix at a time, without Kafka and without the replay's decoder.
 */
final class ResourceStory {

    static final long BASE_MILLIS = 1_790_000_000_000L;
    static final Path TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a");
    /** Offset of the record that relabels frontend-1 to segment=batch. */
    static final long RELABEL = 10;
    /** Offset of the record that adds frontend-3 on node-a2. */
    static final long NEW_POD = 11;

    /** One record: key and value (null = tombstone), or a raw value that is not a resource record. */
    record Entry(String key, JsonNode object, byte[] raw) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubeObjectConverter converter = new KubeObjectConverter();
    private final List<Entry> entries = new ArrayList<>();

    /** The example and the story of changes. */
    static ResourceStory tenantA() throws Exception {
        ResourceStory story = new ResourceStory();
        ManifestReader reader = new ManifestReader();
        for (Path file : ManifestReader.manifestFiles(TENANT_A)) {
            reader.objects(file).forEach(document -> story.upsert(document.object()));
        }
        ObjectNode frontend1 = story.find("frontend-1").deepCopy();
        ((ObjectNode) frontend1.path("metadata").path("labels")).put("segment", "batch");
        story.upsert(frontend1);
        ObjectNode frontend3 = story.find("frontend-2").deepCopy();
        ((ObjectNode) frontend3.path("metadata")).put("name", "frontend-3");
        ((ObjectNode) frontend3.path("spec")).put("nodeName", "node-a2");
        ((ObjectNode) frontend3.path("status")).put("podIP", "10.244.2.30").putArray("podIPs").addObject().put("ip", "10.244.2.30");
        story.upsert(frontend3);
        story.delete(story.find("batch-1"));
        ObjectNode pol1 = story.find("pol1").deepCopy();
        ((ObjectNode) pol1.path("spec").path("allowIncoming")).putArray("toPorts").addObject().put("port", 8080);
        story.upsert(pol1);
        story.delete(pol1);
        return story;
    }

    void upsert(JsonNode object) {
        entries.add(new Entry(ResourceKey.of(converter.identity(object).orElseThrow().ref()).encode(), object, null));
    }

    void delete(JsonNode object) {
        entries.add(new Entry(ResourceKey.of(converter.identity(object).orElseThrow().ref()).encode(), null, null));
    }

    /** A record the compiler dead-letters: {@code raw} is sent as the value as it is. */
    void poison(String key, String raw) {
        entries.add(new Entry(key, null, raw.getBytes(StandardCharsets.UTF_8)));
    }

    /** The object written at an offset (null for a tombstone or a raw value). */
    JsonNode objectAt(int offset) {
        return entries.get(offset).object();
    }

    int size() {
        return entries.size();
    }

    /** Writes every record to partition 0 of {@code topic}, in order, each acknowledged before the next. */
    void writeTo(LocalKafka kafka, String topic) throws Exception {
        kafka.createTopic(topic, 1, true);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
            for (int offset = 0; offset < entries.size(); offset++) {
                Entry entry = entries.get(offset);
                producer.send(new ProducerRecord<>(topic, 0, BASE_MILLIS + offset * 1000L, entry.key(), value(entry, offset)))
                        .get();
            }
        }
    }

    private static byte[] value(Entry entry, int offset) {
        if (entry.raw() != null) {
            return entry.raw();
        }
        return entry.object() == null ? null
                : WireJson.encode(ResourceRecord.of(String.valueOf(100 + offset), BASE_MILLIS + offset * 1000L, entry.object()));
    }

    /** The reference: the objects of records 0..{@code last} converted and applied to a fresh engine. */
    Reference referenceUpTo(long last) {
        Engine engine = new Engine();
        DeltaFold agents = new DeltaFold();
        for (int offset = 0; offset <= last; offset++) {
            Entry entry = entries.get(offset);
            ResourceEvent event;
            if (entry.raw() != null) {
                continue;
            } else if (entry.object() == null) {
                event = ResourceEvent.deleted(identity(entry.key()));
            } else {
                event = ResourceEvent.modified(converter.convert(entry.object()).resource().orElseThrow());
            }
            engine.apply(event).deltas().forEach(agents::apply);
        }
        return new Reference(engine, agents);
    }

    private dev.stockade.core.model.Resource identity(String key) {
        JsonNode object = entries.stream().filter(e -> e.key().equals(key) && e.object() != null).findFirst()
                .orElseThrow().object();
        return converter.identity(object).orElseThrow();
    }

    /** What the reference holds after a prefix, printed the way {@code compile} and {@code matrix} print. */
    record Reference(Engine engine, DeltaFold agents) {
        String rulesJson() throws Exception {
            return CoreJson.json().writeValueAsString(agents.nonEmptyRuleSets()) + "\n";
        }

        String matrixJson(String probes) throws Exception {
            var verdicts = Matrix.compute(Matrix.endpoints(engine.state()), Probe.parseList(probes),
                    new VerdictEvaluator(agents::ruleSet));
            return CoreJson.compactJson().writeValueAsString(MatrixCommand.document(verdicts)) + "\n";
        }
    }

    private JsonNode find(String name) {
        return entries.stream().filter(e -> e.object() != null && e.object().path("metadata").path("name").asText().equals(name))
                .reduce((first, second) -> second).orElseThrow().object();
    }

    static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }
}
