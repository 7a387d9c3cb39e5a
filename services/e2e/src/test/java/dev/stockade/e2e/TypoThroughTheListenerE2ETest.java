package dev.stockade.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.listener.InformerSource;
import dev.stockade.listener.Leadership;
import dev.stockade.listener.Listener;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.Test;

/**
 * A typo never widens a policy, through the whole pipeline: typo'd policies written to the
 * (mock) API server — which, like a CRD without a schema or a client with validation off, keeps
 * the unknown field — reach the compiler through the listener and Kafka, are rejected with the
 * object and field named on {@code stockade.status}, and the rules agents receive do not allow
 * what the typo would have.
 */
class TypoThroughTheListenerE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** tenant-a from the 2016 announcement, plus two policies with a typo each. */
    private static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tenant-a
              annotations: {net.alpha.kubernetes.io/network-isolation: "on"}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: frontend-1, namespace: tenant-a, labels: {segment: frontend}}
            spec: {nodeName: node-1, containers: [{name: c, image: nginx}]}
            status: {podIP: 10.1.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: batch-1, namespace: tenant-a, labels: {segment: batch}}
            spec: {nodeName: node-1, containers: [{name: c, image: nginx}]}
            status: {podIP: 10.1.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: backend-1, namespace: tenant-a, labels: {segment: backend}}
            spec: {nodeName: node-2, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
            status: {podIP: 10.1.0.3}
            ---
            apiVersion: net.alpha.kubernetes.io/v1alpha1
            kind: NetworkPolicy
            metadata: {name: pol1, namespace: tenant-a}
            spec:
              podSelector: {segment: backend}
              allowIncoming:
                from: [{pods: {segment: frontend}}]
                toPorts: [{port: 80, protocol: TCP}]
            ---
            apiVersion: net.alpha.kubernetes.io/v1alpha1
            kind: NetworkPolicy
            metadata: {name: batch-typo, namespace: tenant-a}
            spec:
              podSelector: {segment: backend}
              allowIncoming:
                from: [{pods: {segment: batch}}]
                toPort: [{port: 80, protocol: TCP}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: v1-typo, namespace: tenant-a}
            spec:
              podSelector: {matchLabels: {segment: backend}}
              ingress: [{from: [{podSelector: {matchLabels: {segment: batch}}}], port: [{port: 443}]}]
            """;

    @Test
    void typoedPoliciesAreRejectedNamingTheFieldAndAgentsNeverGetWhatTheTypoWouldAllow() throws Exception {
        System.setProperty("stockade.jgroups.port", "7970");
        try (LocalKafka kafka = LocalKafka.start(); MockCluster cluster = new MockCluster()) {
            for (String topic : List.of("stockade.resources", "stockade.status", "stockade.control")) {
                kafka.createTopic(topic, 1, !topic.equals("stockade.control"));
            }
            kafka.createTopic("stockade.rules", 3, false);
            kafka.createTopic("stockade.deadletter", 1, false);
            EmbeddedCacheManager member = CacheManagers.start("typo-" + System.nanoTime(), "a", "jgroups-loopback.xml");
            CompilerLoop compiler = new CompilerLoop(CompilerSettings.defaults(kafka.bootstrapServers(), "a"),
                    member.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
            Thread compilerThread = new Thread(compiler, "compiler-a");
            compilerThread.setDaemon(true);
            compilerThread.start();
            Listener listener = Listener.start(new InformerSource(cluster.newClient()), Leadership.sole(),
                    new Listener.Settings("stockade.resources", Map.of("bootstrap.servers", kafka.bootstrapServers()),
                            "typo-listener", Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30)),
                    new SimpleMeterRegistry());
            try (RulesTail rules = new RulesTail(kafka.bootstrapServers())) {
                for (JsonNode object : new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(CLUSTER).readAll()) {
                    cluster.apply(JSON.createObjectNode().put("type", "ADDED").set("object", object));
                }
                DeltaFold agents = new DeltaFold();
                rules.drain(Duration.ofSeconds(4)).forEach(agents::apply);
                List<StatusRecord> rejected = rejections(kafka.bootstrapServers());

                assertTrue(rejected.stream().anyMatch(r -> r.name().equals("batch-typo")
                        && r.field().equals("spec.allowIncoming.toPort") && r.reason().contains("unknown field")), rejected.toString());
                assertTrue(rejected.stream().anyMatch(r -> r.name().equals("v1-typo")
                        && r.field().equals("spec.ingress[0].port") && r.reason().contains("unknown field")), rejected.toString());
                assertTrue(agents.nonEmptyRuleSets().values().stream().flatMap(set -> set.policies().values().stream())
                        .noneMatch(policy -> policy.ref().name().endsWith("-typo")), "no node holds a rejected policy");
                VerdictEvaluator verdicts = new VerdictEvaluator(agents::ruleSet);
                Endpoint frontend = new Endpoint("tenant-a/frontend-1", "node-1", "10.1.0.1");
                Endpoint batch = new Endpoint("tenant-a/batch-1", "node-1", "10.1.0.2");
                Endpoint backend = new Endpoint("tenant-a/backend-1", "node-2", "10.1.0.3");
                assertTrue(verdicts.explain(frontend, backend, Probe.parse("80/TCP").orElseThrow()).allowed());
                assertFalse(verdicts.explain(batch, backend, Probe.parse("80/TCP").orElseThrow()).allowed(),
                        "the 2016 typo would have allowed batch on every port");
                assertFalse(verdicts.explain(batch, backend, Probe.parse("443/TCP").orElseThrow()).allowed(),
                        "the v1 typo would have allowed batch on every port");
            } finally {
                listener.close();
                compiler.close();
                Thread.sleep(300);
                member.stop();
            }
        }
    }

    /** The Rejected records of {@code stockade.status}. */
    private static List<StatusRecord> rejections(String bootstrapServers) throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "typo-status-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<StatusRecord> rejected = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("stockade.status"));
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until && rejected.size() < 2) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    StatusRecord status = WireJson.decodeStatus(record.value());
                    if (StatusRecord.REJECTED.equals(status.type())) {
                        rejected.add(status);
                    }
                }
            }
        }
        return rejected;
    }
}
