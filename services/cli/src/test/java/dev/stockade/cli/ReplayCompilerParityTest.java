package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.events.v1.RuleDeltaRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
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
 * The deltas {@code stockade replay -o deltas} prints for a range are, byte for byte, the ones a
 * real {@link CompilerLoop} (one replica, a 1-member Infinispan cluster on loopback) published on
 * {@code stockade.rules} for the records of that range, poison records included in the log.
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
    void replayedDeltasEqualWhatTheCompilerPublishedForTheSameRange() throws Exception {
        ResourceStory story = ResourceStory.tenantA();
        story.poison("Pod/tenant-a/garbage", "this is not a resource record");
        story.upsert(story.objectAt(9));
        story.writeTo(kafka, "stockade.resources");
        startCompiler();
        long from = 4;
        long to = story.size() - 1;
        CliContractTest.Run replay = CliContractTest.run("replay", "--bootstrap", kafka.bootstrapServers(), "-o", "deltas",
                "--from-offset", String.valueOf(from), "--to-offset", String.valueOf(to));
        assertEquals(0, replay.exitCode(), replay.err());
        List<String> replayed = replay.out().lines().toList();
        int all = CliContractTest.run("replay", "--bootstrap", kafka.bootstrapServers(), "-o", "deltas").out()
                .lines().toList().size();
        List<String> published = publishedInRange(all, from, to);
        assertTrue(replayed.size() > 5, "the range produced deltas: " + replayed);
        assertEquals(published, replayed);
    }

    private static void startCompiler() {
        compiler = new CompilerLoop(CompilerSettings.defaults(kafka.bootstrapServers(), "a"),
                member.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
        Thread thread = new Thread(compiler, "compiler-a");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits for the compiler's {@code expected} deltas (committed only), then returns the values of
     * those caused by records in [from, to], in the order the engine emits them: by source offset,
     * then by node.
     */
    private static List<String> publishedInRange(int expected, long from, long to) throws Exception {
        List<Published> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(readCommitted())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(RULES, 0), new TopicPartition(RULES, 1),
                    new TopicPartition(RULES, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> records.add(Published.of(record)));
            }
            consumer.poll(Duration.ofMillis(500)).forEach(record -> records.add(Published.of(record)));
        }
        assertEquals(expected, records.size(), "the compiler published as many deltas as replaying the whole log prints");
        return records.stream().filter(r -> r.delta().sourceOffset() >= from && r.delta().sourceOffset() <= to)
                .sorted(Comparator.comparingLong((Published r) -> r.delta().sourceOffset())
                        .thenComparing(r -> r.delta().node()))
                .map(Published::bytes).toList();
    }

    /** A record of stockade.rules: its value as published (text) and decoded. */
    private record Published(String bytes, RuleDeltaRecord delta) {
        static Published of(ConsumerRecord<String, byte[]> record) {
            try {
                return new Published(new String(record.value(), StandardCharsets.UTF_8), WireJson.decodeRuleDelta(record.value()));
            } catch (Exception e) {
                throw new AssertionError("undecodable delta", e);
            }
        }
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
