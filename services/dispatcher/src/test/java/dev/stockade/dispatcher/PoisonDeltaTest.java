package dev.stockade.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.MemberPatch;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.PolicyPatch;
import dev.stockade.events.v1.ControlRecord;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kafka.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A poison record on {@code stockade.rules}: a delta of node-1 whose header follows the node's generation but whose
 * body does not apply (or does not decode). Before, it was stored by its header and its node's agents went round
 * for good: the delta, the agent's NACK, a snapshot that could not be built (close 1011), a reconnect resuming from
 * the crumbs, the delta again, until some snapshot happened to arrive. Now (real broker, real compiler, a real
 * dispatcher replica, a real agent): it is rejected once, counted, never sent, the node keeps its last good rules,
 * the replica asks the compiler for the node's snapshot on {@code stockade.control}, and after that snapshot and
 * the next real change the node holds the full compile.
 */
class PoisonDeltaTest {

    private static final String NODE = "node-1";

    private Pipeline pipeline;
    private DispatcherReplica replica;
    private AgentNode agent;
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> control;
    private KafkaConsumer<String, byte[]> rules;

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {agent, replica, producer, control, rules, pipeline}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void aDeltaThatDoesNotApplyIsRejectedOnceCountedNeverSentAndTheNodeIsResyncedToTheFullCompile() throws Exception {
        start();
        long good = pipeline.generation(NODE);
        byte[] poison = WireJson.encode(RuleDeltaCodec.toWire(new NodeDelta(NODE, good + 1, new PolicyPatch(List.of(),
                List.of()), new GroupPatch(List.of(), List.of(), List.of()), new GroupPatch(List.of(), List.of(),
                List.of(new MemberPatch("no-such-group", List.of(), List.of())))), 0));
        // Twice, as a re-read after a rebalance would deliver it: still one rejection, one count.
        rejectsAndRecovers(good, poison, poison);
    }

    @Test
    void aDeltaWhoseBodyDoesNotDecodeIsRejectedTheSameWay() throws Exception {
        start();
        long good = pipeline.generation(NODE);
        byte[] poison = ("{\"schemaVersion\":1,\"node\":\"" + NODE + "\",\"generation\":" + (good + 1)
                + ",\"sourceOffset\":0,\"policies\":\"not a patch\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        rejectsAndRecovers(good, poison);
    }

    private void start() throws InterruptedException {
        pipeline = new Pipeline("poison-" + System.nanoTime(), 1);
        pipeline.node(NODE, "pool-a");
        pipeline.pod("x", "a", "{\"app\":\"a\"}", NODE, "10.244.1.10");
        pipeline.pod("x", "b", "{\"app\":\"b\"}", NODE, "10.244.1.11");
        pipeline.upsert("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"b-from-a","namespace":"x"},
                 "spec":{"podSelector":{"matchLabels":{"app":"b"}},
                         "ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"a"}}}]}]}}""");
        pipeline.flush();
        replica = DispatcherReplica.start(pipeline.dispatcherSettings("pool-a", "pool-a-r1"),
                DispatcherReplica.Options.plaintext("poison-pool-a-" + System.nanoTime(), NodeTokens.of(Map.of(NODE, "t"))));
        agent = AgentNode.start(AgentSettings.plaintext(NODE, List.of(replica.address()), "t")
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)), new RecordingReconciler());
        await("the agent holds the full compile", () -> pipeline.generation(NODE) > 0
                && agent.appliedGeneration() == pipeline.generation(NODE) && agent.ruleSet().equals(pipeline.expected(NODE)));
        producer = producer(pipeline.bootstrap());
        control = tail(pipeline.bootstrap(), "stockade.control");
        rules = tail(pipeline.bootstrap(), "stockade.rules");
    }

    private void rejectsAndRecovers(long good, byte[]... poison) throws Exception {
        var lastGood = agent.ruleSet();
        double resyncsBefore = replica.metrics().resyncRequests();
        double deltasSentBefore = replica.metrics().deltasSent();
        double snapshotsSentBefore = replica.metrics().snapshotsSent();
        long deltasReceivedBefore = agent.deltasReceived();
        for (byte[] record : poison) {
            producer.send(new ProducerRecord<>("stockade.rules", NODE, record)).get();
        }

        await("the poison delta is rejected and counted", () -> replica.metrics().rejectedDeltas() == 1);
        List<ControlRecord> asked = new ArrayList<>();
        await(() -> "a resync of " + NODE + " on stockade.control: " + asked, () -> {
            control.poll(Duration.ofMillis(100)).forEach(record -> asked.add(decodeControl(record.value())));
            return asked.stream().anyMatch(request -> ControlRecord.RESYNC.equals(request.type())
                    && request.nodes().contains(NODE) && request.requestedBy().endsWith("/pool-a-r1"));
        });
        assertTrue(replica.metrics().resyncRequests() > resyncsBefore);
        List<Long> snapshots = new ArrayList<>();
        await(() -> "the compiler's snapshot of " + NODE, () -> {
            for (ConsumerRecord<String, byte[]> record : rules.poll(Duration.ofMillis(100))) {
                Header type = record.headers().lastHeader(RulesTopic.TYPE_HEADER);
                if (RulesTopic.isSnapshot(type == null ? null : type.value()) && NODE.equals(record.key())) {
                    snapshots.add(decodeSnapshotGeneration(record.value()));
                }
            }
            return !snapshots.isEmpty();
        });
        await("the replica applied the snapshot", () -> replica.state().generation(NODE) >= snapshots.get(0));

        // No loop: for a while nothing more is sent, the agent holds its last good rules and stays connected.
        Thread.sleep(1_500);
        assertEquals(1.0, replica.metrics().rejectedDeltas(), "one rejection, also for a re-read");
        assertEquals(deltasSentBefore, replica.metrics().deltasSent(), "the poison delta never went to an agent");
        assertTrue(replica.metrics().snapshotsSent() <= snapshotsSentBefore + 1, "no snapshot storm: "
                + (replica.metrics().snapshotsSent() - snapshotsSentBefore));
        assertEquals(deltasReceivedBefore, agent.deltasReceived());
        assertEquals(1, replica.metrics().agentsConnected(), "the agent was never cut off");
        assertEquals(good, agent.appliedGeneration(), "the last good generation");
        assertEquals(lastGood, agent.ruleSet(), "the last good rules");
        assertEquals(pipeline.expected(NODE), replica.state().ruleSet(NODE).orElseThrow().ruleSet(),
                "after the snapshot the node's state is the full compile");

        // The compiler's next real delta (of the generation the poison claimed) applies, and the agent follows.
        pipeline.pod("x", "c", "{\"app\":\"a\"}", NODE, "10.244.1.12");
        pipeline.flush();
        await("the agent holds the full compile after the next change", () -> agent.appliedGeneration() > good
                && agent.ruleSet().equals(pipeline.expected(NODE)));
        assertEquals(pipeline.expected(NODE), replica.state().ruleSet(NODE).orElseThrow().ruleSet());
        assertEquals(1.0, replica.metrics().rejectedDeltas());
    }

    private static ControlRecord decodeControl(byte[] value) {
        try {
            return WireJson.decodeControl(value);
        } catch (dev.stockade.events.v1.WireFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static long decodeSnapshotGeneration(byte[] value) {
        try {
            return WireJson.decodeRuleSet(value).generation();
        } catch (dev.stockade.events.v1.WireFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    /** A group-less reader of partition 0 of {@code topic} from its current end. */
    private static KafkaConsumer<String, byte[]> tail(String bootstrap, String topic) {
        Map<String, Object> properties = KafkaClientProperties.groupLessConsumer(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), "poison-test-" + topic);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        return consumer;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, condition);
    }

    private static void await(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for: " + what.get());
            Thread.sleep(50);
        }
    }
}
