package dev.stockade.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kafka.KafkaClientProperties;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.kube.ManifestReader;
import dev.stockade.localkafka.LocalKafka;
import dev.stockade.replication.ReplicatedCaches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * A real broker and a real compiler replica (its own Infinispan member) in this JVM, fed as the
 * listener would feed it, with a reference engine fed the same objects: what every node's rule set
 * must become ({@link #expected}).
 */
final class Pipeline implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final LocalKafka kafka;
    private final EmbeddedCacheManager compilerMember;
    private final CompilerLoop compiler;
    private final KafkaProducer<String, byte[]> producer;
    private final KubeObjectConverter converter = new KubeObjectConverter();
    private final Engine reference = new Engine();
    private final Map<String, PublishedDelta> published = new ConcurrentHashMap<>();
    private final Thread publishedTail;
    private volatile boolean closed;

    Pipeline(String clusterPrefix, int rulesPartitions) {
        kafka = LocalKafka.start();
        kafka.createTopic("stockade.resources", 1, true);
        kafka.createTopic("stockade.rules", rulesPartitions, false);
        kafka.createTopic("stockade.status", 1, true);
        kafka.createTopic("stockade.deadletter", 1, false);
        kafka.createTopic("stockade.control", 1, false);
        compilerMember = CacheManagers.start(clusterPrefix + "-compiler", "compiler", ReplicatedCaches.LOOPBACK);
        compiler = new CompilerLoop(CompilerSettings.defaults(kafka.bootstrapServers(), "compiler"),
                compilerMember.getCache(CacheManagers.STATE_CACHE),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Clock.systemUTC());
        Thread thread = new Thread(compiler, "compiler");
        thread.setDaemon(true);
        thread.start();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(properties);
        publishedTail = new Thread(this::followPublished, "published-generations");
        publishedTail.setDaemon(true);
        publishedTail.start();
    }

    /**
     * Notes each node's latest delta from {@code stockade.rules} (read_committed, every partition):
     * the compiler publishes one delta per node and batch, so its generations are its own count, not
     * the reference engine's per-event one.
     */
    private void followPublished() {
        Map<String, Object> properties = KafkaClientProperties.groupLessConsumer(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), "published-deltas");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("stockade.rules").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    Header type = record.headers().lastHeader(RulesTopic.TYPE_HEADER);
                    if (!RulesTopic.isSnapshot(type == null ? null : type.value())) {
                        DeltaHeader delta = DeltaHeader.read(record.value());
                        published.put(delta.node(), new PublishedDelta(delta.node(), delta.generation(), record.timestamp()));
                    }
                }
            }
        } catch (Exception e) {
            if (!closed) {
                // Every wait on generation() would then time out: say why once, loudly.
                System.err.println("Pipeline: stopped following stockade.rules: " + e);
                e.printStackTrace();
            }
        }
    }

    String bootstrap() {
        return kafka.bootstrapServers();
    }

    DispatcherSettings dispatcherSettings(String pool, String replica) {
        return DispatcherSettings.defaults(bootstrap(), pool, replica);
    }

    /** Publishes an object as the listener would, and feeds the reference engine. */
    synchronized void upsert(JsonNode object) {
        ResourceKey key = ResourceKey.of(converter.identity(object).orElseThrow().ref());
        producer.send(new ProducerRecord<>("stockade.resources", key.encode(), WireJson.encode(ResourceRecord.of(
                object.path("metadata").path("resourceVersion").asText(null), System.currentTimeMillis(), object))));
        converter.convert(object).resource().ifPresent(resource -> reference.apply(ResourceEvent.modified(resource)));
    }

    synchronized void delete(JsonNode object) {
        var identity = converter.identity(object).orElseThrow();
        producer.send(new ProducerRecord<>("stockade.resources", ResourceKey.of(identity.ref()).encode(), null));
        reference.apply(ResourceEvent.deleted(identity));
    }

    void upsert(String json) {
        try {
            upsert(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    void flush() {
        producer.flush();
    }

    /** A Node object in a pool. */
    void node(String name, String pool) {
        upsert("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"stockade.dev/pool\":\"" + pool + "\"}}}");
    }

    /** A pod with an IP on a node, serving 80 and 81/TCP (named serve-80-tcp, serve-81-tcp). */
    void pod(String namespace, String name, String labelsJson, String node, String ip) {
        upsert("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\",\"labels\":" + labelsJson + "},\"spec\":{\"nodeName\":\"" + node
                + "\",\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\",\"name\":"
                + "\"serve-80-tcp\"},{\"containerPort\":81,\"protocol\":\"TCP\",\"name\":\"serve-81-tcp\"}]}]},"
                + "\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\",\"podIPs\":[{\"ip\":\"" + ip + "\"}]}}");
    }

    /** Every object of a conformance case's manifests, then its events, in order. */
    void feedCase(Path caseDir) throws IOException {
        ManifestReader reader = new ManifestReader();
        for (Path file : ManifestReader.manifestFiles(caseDir.resolve("manifests"))) {
            reader.objects(file).forEach(document -> upsert(document.object()));
        }
        Path events = caseDir.resolve("events.jsonl");
        if (Files.exists(events)) {
            for (String line : Files.readAllLines(events)) {
                if (!line.isBlank()) {
                    JsonNode event = JSON.readTree(line);
                    if (event.path("type").asText().equals("DELETED")) {
                        delete(event.path("object"));
                    } else {
                        upsert(event.path("object"));
                    }
                }
            }
        }
        flush();
    }

    /** What the node's rule set must be: the full compile of everything published so far. */
    synchronized NodeRuleSet expected(String node) {
        return Compiler.compile(reference.state()).ruleSetFor(node);
    }

    /** The generation of the node's last delta the compiler has published (committed); 0 before any. */
    long generation(String node) {
        PublishedDelta latest = published.get(node);
        return latest == null ? 0 : latest.generation();
    }

    /** The node's last delta the compiler has published (committed), if any yet. */
    Optional<PublishedDelta> latest(String node) {
        return Optional.ofNullable(published.get(node));
    }

    @Override
    public void close() {
        closed = true;
        try {
            publishedTail.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        compiler.close();
        compilerMember.stop();
        kafka.close();
    }
}
