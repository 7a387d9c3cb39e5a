package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireJson;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stockade replay -o deltas} prints one delta per node and record, the finest decomposition;
 * a real {@link CompilerLoop} (one replica, a 1-member Infinispan cluster on loopback) publishes one
 * per node and batch. For the same log, poison records included, the two fold to the same rule set
 * on every node, and the compiler's generations run without gaps.
 */
class ReplayCompilerParityTest {

    private static final String RULES = "stockade.rules";
    private static LocalKafka kafka;
    private static EmbeddedCacheManager member;
    private static CompilerLoop compiler;

    @BeforeAll
    static void pipeline() {
        System.setProperty("stockade.jgroups.port", "7960");
        kafka = LocalKafka.start();
        kafka.createTopic(RULES, 3, false);
        kafka.createTopic("stockade.status", 1, true);
        kafka.createTopic("stockade.deadletter", 1, false);
        kafka.createTopic("stockade.control", 1, false);
        member = CacheManagers.start("replay-parity-" + System.nanoTime(), "a", "jgroups-loopback.xml");
    }

    @AfterAll
    static void stop() {
        if (compiler != null) {
            compiler.close();
        }
        member.stop();
        kafka.close();
    }

    @Test
    void replayedDeltasFoldToWhatTheCompilerPublished() throws Exception {
        ResourceStory story = ResourceStory.tenantA();
        story.poison("Pod/tenant-a/garbage", "this is not a resource record");
        story.upsert(story.objectAt(9));
        story.writeTo(kafka, "stockade.resources");
        startCompiler();
        CliContractTest.Run replay = CliContractTest.run("replay", "--bootstrap", kafka.bootstrapServers(), "-o", "deltas");
        assertEquals(0, replay.exitCode(), replay.err());
        List<String> replayed = replay.out().lines().toList();
        assertTrue(replayed.size() > 5, "the log produced deltas: " + replayed);
        DeltaFold replayedFold = fold(replayed);
        Set<String> nodes = replayedFold.nonEmptyRuleSets().keySet();
        assertFalse(nodes.isEmpty(), "the log compiles to rules on some node");

        List<String> published = new ArrayList<>();
        DeltaFold publishedFold = new DeltaFold();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(readCommitted())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(RULES, 0), new TopicPartition(RULES, 1),
                    new TopicPartition(RULES, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!sameRuleSets(nodes, replayedFold, publishedFold) && System.nanoTime() < deadline) {
                readInto(consumer, published, publishedFold);
            }
            // Whatever the compiler publishes after the folds first agree must keep them equal.
            long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < settle) {
                readInto(consumer, published, publishedFold);
            }
        }
        for (String node : nodes) {
            assertEquals(replayedFold.ruleSet(node), publishedFold.ruleSet(node), "node " + node);
        }
        assertEquals(replayedFold.nonEmptyRuleSets().keySet(), publishedFold.nonEmptyRuleSets().keySet());
        assertTrue(published.size() < replayed.size(), "the compiler coalesced the log's records per node: "
                + published.size() + " deltas published, " + replayed.size() + " replayed");
    }

    private static void readInto(KafkaConsumer<String, byte[]> consumer, List<String> published, DeltaFold fold)
            throws Exception {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            String delta = new String(record.value(), StandardCharsets.UTF_8);
            published.add(delta);
            fold.apply(decode(delta));
        }
    }

    private static boolean sameRuleSets(Set<String> nodes, DeltaFold expected, DeltaFold actual) {
        return nodes.stream().allMatch(node -> expected.ruleSet(node).equals(actual.ruleSet(node)));
    }

    /** The fold of deltas printed one per line; {@link DeltaFold} also refuses gaps and repeated generations. */
    private static DeltaFold fold(List<String> lines) throws Exception {
        DeltaFold fold = new DeltaFold();
        for (String line : lines) {
            fold.apply(decode(line));
        }
        return fold;
    }

    private static NodeDelta decode(String json) throws Exception {
        return RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void startCompiler() {
        compiler = new CompilerLoop(CompilerSettings.defaults(kafka.bootstrapServers(), "a"),
                member.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
        Thread thread = new Thread(compiler, "compiler-a");
        thread.setDaemon(true);
        thread.start();
    }

    private static Properties readCommitted() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }
}
