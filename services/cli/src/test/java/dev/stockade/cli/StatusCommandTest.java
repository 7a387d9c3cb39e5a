package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.RuleDeltaRecord;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.kube.ManifestReader;
import dev.stockade.localkafka.LocalKafka;
import dev.stockade.replication.ReplicatedCaches;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code stockade status} on a real broker: from hand-written records, and after a real pipeline ran to the agents. */
class StatusCommandTest {

    private LocalKafka kafka;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void broker() {
        kafka = LocalKafka.start();
        kafka.createTopic("stockade.resources", 1, true);
        kafka.createTopic("stockade.rules", 3, false);
        kafka.createTopic("stockade.status", 1, true);
        kafka.createTopic("stockade.deadletter", 1, false);
        kafka.createTopic("stockade.control", 1, false);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(properties);
    }

    @AfterEach
    void stop() {
        producer.close();
        kafka.close();
    }

    private static RuleDeltaRecord.Policy policy(String id, String name) {
        return new RuleDeltaRecord.Policy(id, "NetworkPolicy", "x", name, "atg-" + id, List.of("INGRESS"), List.of());
    }

    private void delta(String node, long generation, List<RuleDeltaRecord.Policy> added, List<String> removed) {
        RuleDeltaRecord.GroupPatch none = new RuleDeltaRecord.GroupPatch(List.of(), List.of(), List.of());
        send("stockade.rules", node, WireJson.encode(new RuleDeltaRecord(1, node, generation, 0,
                new RuleDeltaRecord.PolicyPatch(added, removed), none, none)), RulesTopic.DELTA);
    }

    private void send(String topic, String key, byte[] value, String type) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        if (type != null) {
            record.headers().add(RulesTopic.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record);
    }

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var command = StockadeCli.commandLine();
        command.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = command.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void aPolicyIsRealizedOnANodeOnceTheNodeRealizedTheGenerationThatBroughtItsCurrentVersion() throws Exception {
        delta("node-1", 1, List.of(policy("a1", "web")), List.of());
        delta("node-2", 1, List.of(policy("a1", "web")), List.of());
        delta("node-2", 2, List.of(policy("b1", "db")), List.of());
        delta("node-2", 3, List.of(policy("a2", "web")), List.of("a1"));
        RuleDeltaRecord.GroupPatch none = new RuleDeltaRecord.GroupPatch(List.of(), List.of(), List.of());
        send("stockade.rules", "node-3", WireJson.encode(new dev.stockade.events.v1.RuleSetRecord(1, "node-3", 4,
                List.of(policy("a2", "web")), List.of(), List.of())), RulesTopic.SNAPSHOT);
        send("stockade.status", "Node//node-1", WireJson.encode(StatusRecord.realized("node-1", 1, 0)), null);
        send("stockade.status", "Node//node-2", WireJson.encode(StatusRecord.realized("node-2", 2, 0)), null);
        send("stockade.status", "Node//node-3", WireJson.encode(StatusRecord.realized("node-3", 4, 0)), null);
        producer.flush();

        String[] table = run("status", "--bootstrap", kafka.bootstrapServers());
        assertEquals("0", table[0], table[2]);
        assertEquals("""
                KIND            NAMESPACE   NAME   NODES   REALIZED   GENERATION   PENDING
                NetworkPolicy   x           db     1       1/1        2            -
                NetworkPolicy   x           web    3       2/3        1-4          node-2
                """, table[1]);
        JsonNode json = new ObjectMapper().readTree(run("status", "--bootstrap", kafka.bootstrapServers(), "-o", "json")[1]);
        JsonNode web = json.path("policies").get(1);
        assertEquals("web", web.path("name").asText());
        assertEquals(3, web.path("nodesInSpan").asInt());
        assertEquals(2, web.path("nodesRealized").asInt());
        assertEquals(3, web.path("nodes").get(1).path("generation").asLong(), "node-2 got web's current version at 3");
        assertEquals(2, web.path("nodes").get(1).path("realizedGeneration").asLong());
    }

    @Test
    void badArgumentsExitWith2WithoutPrintingPropertyValues() {
        String[] result = run("status", "--bootstrap", kafka.bootstrapServers(), "--kafka-property", "sasl.jaas.config");
        assertEquals("2", result[0]);
        assertTrue(!result[2].contains("sasl.jaas.config=") && result[2].contains("KEY=VALUE"), result[2]);
        assertEquals("2", run("status", "--bootstrap", kafka.bootstrapServers(), "-o", "yaml")[0]);
    }

    @Test
    void afterTheRealPipelineRanEveryPolicyOfTheTenantAExampleIsRealizedOnItsWholeSpan() throws Exception {
        System.setProperty("stockade.jgroups.port", "7984");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        String prefix = "status-test-" + System.nanoTime();
        EmbeddedCacheManager compilerMember = CacheManagers.start(prefix + "-compiler", "c", ReplicatedCaches.LOOPBACK);
        CompilerLoop compiler = new CompilerLoop(CompilerSettings.defaults(kafka.bootstrapServers(), "c"),
                compilerMember.getCache(CacheManagers.STATE_CACHE), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                Clock.systemUTC());
        new Thread(compiler, "compiler").start();
        List<AutoCloseable> running = new ArrayList<>();
        try {
            publishExample(Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a"));
            for (String pool : List.of("pool-a", "pool-b")) {
                DispatcherReplica replica = DispatcherReplica.start(DispatcherSettings.defaults(kafka.bootstrapServers(),
                        pool, pool + "-1"), DispatcherReplica.Options.plaintext(prefix + "-" + pool, dev.stockade.dispatcher.NodeTokens.of(
                        java.util.Map.of("node-a1", "t-node-a1", "node-a2", "t-node-a2", "node-b1", "t-node-b1"))));
                running.add(replica);
                for (String node : pool.equals("pool-a") ? List.of("node-a1", "node-a2") : List.of("node-b1")) {
                    running.add(AgentNode.start(AgentSettings.plaintext(node, List.of(replica.address()), "t-" + node), new RecordingReconciler()));
                }
            }
            String[] table = awaitAllRealized();
            assertTrue(table[1].contains("LegacyNetworkPolicy") && table[1].contains("pol1"), table[1]);
            assertTrue(table[1].contains("NamespaceIsolation"), table[1]);
        } finally {
            for (AutoCloseable closeable : running) {
                closeable.close();
            }
            compiler.close();
            compilerMember.stop();
        }
    }

    private String[] awaitAllRealized() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String[] result = run("status", "--bootstrap", kafka.bootstrapServers(), "-o", "json");
            JsonNode policies = new ObjectMapper().readTree(result[1]).path("policies");
            boolean all = policies.size() > 0;
            for (JsonNode policy : policies) {
                all &= policy.path("nodesRealized").asInt() == policy.path("nodesInSpan").asInt();
            }
            if (all) {
                return run("status", "--bootstrap", kafka.bootstrapServers());
            }
            assertTrue(System.nanoTime() < deadline, "not all realized: " + result[1]);
            Thread.sleep(200);
        }
    }

    private void publishExample(Path directory) throws Exception {
        KubeObjectConverter converter = new KubeObjectConverter();
        for (Path file : ManifestReader.manifestFiles(directory)) {
            for (ManifestReader.Document document : new ManifestReader().objects(file)) {
                ResourceKey key = ResourceKey.of(converter.identity(document.object()).orElseThrow().ref());
                send("stockade.resources", key.encode(), WireJson.encode(ResourceRecord.of("1", 0, document.object())), null);
            }
        }
        producer.flush();
    }
}
