package dev.stockade.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.StreamTrust;
import dev.stockade.dispatcher.tls.ThrowawayCa;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real KRaft broker and real Infinispan clusters over JGroups: a compiler replica →
 * two pools (pool-a: node-1, node-2, node-4; pool-b: node-3, node-5, node-6) × two dispatcher
 * replicas each → six agents with recording reconcilers. After each conformance case every agent
 * holds the full compile of its node; then replicas die, agents restart, stall, and strangers knock.
 * The stream is TLS ({@code wss://}, certificates of a {@link ThrowawayCa}) and every agent proves its
 * node with a token of its own ({@link NodeTokens}): a credential for one node never gets another's
 * rules nor ACKs for it.
 * The steps share one cluster and run in order. The cases are the project's own, plus the upstream
 * ones of {@code ../shared/conformance} when it is there ({@link NetpolCases}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatchEndToEndTest {

    private static final AgentAuthenticator AGENTS = NodeTokens.of(java.util.stream.Stream.of(
            "node-1", "node-2", "node-3", "node-4", "node-5", "node-6").collect(java.util.stream.Collectors.toMap(
            node -> node, DispatchEndToEndTest::tokenOf)));
    private static final Map<String, String> POOLS = new LinkedHashMap<>();

    static {
        POOLS.put("node-1", "pool-a");
        POOLS.put("node-2", "pool-a");
        POOLS.put("node-4", "pool-a");
        POOLS.put("node-3", "pool-b");
        POOLS.put("node-5", "pool-b");
        POOLS.put("node-6", "pool-b");
    }

    @TempDir
    static Path stateDirs;
    private Pipeline pipeline;
    private ThrowawayCa ca;
    private final Map<String, List<DispatcherReplica>> replicas = new HashMap<>();
    private final Map<String, AgentNode> agents = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        System.setProperty("stockade.jgroups.port", "7980");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        String prefix = "e2e-" + System.nanoTime();
        ca = ThrowawayCa.create(stateDirs.resolve("pki"), "e2e");
        pipeline = new Pipeline(prefix, 3);
        POOLS.forEach(pipeline::node);
        pipeline.pod("x", "extra-4", "{\"pod\":\"a\"}", "node-4", "10.244.4.11");
        pipeline.pod("x", "extra-5", "{\"pod\":\"b\"}", "node-5", "10.244.5.11");
        pipeline.pod("x", "extra-6", "{\"pod\":\"c\"}", "node-6", "10.244.6.11");
        pipeline.flush();
        for (String pool : List.of("pool-a", "pool-b")) {
            List<DispatcherReplica> pair = new ArrayList<>();
            for (String replica : List.of("r1", "r2")) {
                pair.add(DispatcherReplica.start(pipeline.dispatcherSettings(pool, pool + "-" + replica),
                        DispatcherReplica.Options.loopback(prefix + "-" + pool, AGENTS, ca.serverTls(pool + "-" + replica))));
            }
            replicas.put(pool, pair);
        }
        POOLS.keySet().forEach(this::startAgent);
    }

    @AfterAll
    void stop() {
        agents.values().forEach(AgentNode::close);
        replicas.values().forEach(pair -> pair.forEach(DispatcherReplica::close));
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** One test per case, named by corpus and case, in order; then every node must hold rules. */
    @TestFactory
    @Order(1)
    Stream<DynamicTest> afterEachConformanceCaseEveryAgentHoldsTheFullCompileOfItsNode() {
        List<DynamicTest> steps = new ArrayList<>();
        for (NetpolCases.Case next : NetpolCases.ownThenUpstream(
                List.of("np01-default-deny-ingress", "np10-update-relabel-delete", "np05-pod-and-namespace-selector-peers",
                        "np09-ipblock-except"),
                List.of("up01-default-deny-ingress", "up20-enforce-updated-policy", "up22-ingress-from-updated-pod",
                        "up35-egress-cidr-except"))) {
            steps.add(DynamicTest.dynamicTest(next.toString(), () -> {
                pipeline.feedCase(next.dir());
                awaitConverged(next.toString(), agents.keySet());
            }));
        }
        steps.add(DynamicTest.dynamicTest("every node holds rules", () -> {
            List<String> withRules = agents.entrySet().stream().filter(entry -> !entry.getValue().ruleSet().isEmpty())
                    .map(Map.Entry::getKey).toList();
            assertTrue(withRules.size() == 6, "nodes with rules: " + withRules);
        }));
        return steps.stream();
    }

    private void feed(List<String> own, List<String> upstream) throws Exception {
        for (NetpolCases.Case next : NetpolCases.ownThenUpstream(own, upstream)) {
            pipeline.feedCase(next.dir());
        }
    }

    @Test
    @Order(2)
    void whenAReplicaDiesItsAgentsMoveToTheOtherAndConverge() throws Exception {
        DispatcherReplica dying = replicas.get("pool-a").get(0);
        DispatcherReplica surviving = replicas.get("pool-a").get(1);
        dying.close();
        await("pool-a's agents on the surviving replica", () -> surviving.metrics().agentsConnected() == 3);
        feed(List.of("np13-stacked-policies-are-additive"), List.of("up33-stop-enforcing-after-delete"));
        awaitConverged("after the replica died", agents.keySet());
    }

    @Test
    @Order(3)
    void aRestartedAgentResumesFromItsGenerationWithoutASnapshot() throws Exception {
        agents.remove("node-1").close();
        feed(List.of("np07-named-ports-and-end-port"), List.of("up17-ingress-one-named-port"));
        AgentNode restarted = startAgent("node-1");
        awaitConverged("after the restart", agents.keySet());
        assertEquals(0, restarted.snapshotsReceived(), "resumed from its generation with deltas, no snapshot");
        assertTrue(restarted.deltasReceived() > 0, "it missed deltas while down and got them on resume");
    }

    @Test
    @Order(4)
    void aSlowAgentDoesNotDelayTheOthers() throws Exception {
        AgentNode slow = agents.get("node-2");
        slow.pauseReading(true);
        pipeline.upsert("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"all-of-x","namespace":"x"},
                 "spec":{"podSelector":{},"ingress":[{"ports":[{"port":8080}]}]}}""");
        feed(List.of("np14-policy-types-default-with-egress"), List.of("up36-ip-in-both-cidr-and-except"));
        List<String> others = agents.keySet().stream().filter(node -> !node.equals("node-2")).toList();
        awaitConverged("the others, while node-2 does not read", others);
        // The published generations are read by a tail of their own, which may lag: wait for it.
        await("node-2 behind the published generation while it does not read",
                () -> slow.appliedGeneration() < pipeline.generation("node-2"));
        slow.pauseReading(false);
        awaitConverged("node-2 once it reads again", List.of("node-2"));
    }

    @Test
    @Order(5)
    void anAgentWithoutAValidTokenIsRefusedAndOneOfAnotherPoolIsTurnedAway() throws Exception {
        URI uri = URI.create(replicas.get("pool-b").get(0).streamUri());
        assertEquals(401, refusedUpgrade(uri, null), "no token");
        assertEquals(401, refusedUpgrade(uri, "Bearer not-a-token-of-any-node"), "unknown token");
        Peer stranger = Peer.connect(tls(), uri, tokenOf("node-1"));
        stranger.send(dev.stockade.events.v1.AgentStreamMessage.hello("node-1", 0));
        assertEquals(1008, stranger.closeCode(), "node-1 is in pool-a, not pool-b");
    }

    @Test
    @Order(5)
    void aCredentialForOneNodeNeverReceivesAnotherNodesRules() throws Exception {
        URI uri = URI.create(replicas.get("pool-b").get(0).streamUri());
        double refusedBefore = replicas.get("pool-b").get(0).metrics().refusedOtherNodes();
        Peer node3 = Peer.connect(tls(), uri, tokenOf("node-3"));
        node3.send(dev.stockade.events.v1.AgentStreamMessage.hello("node-5", 0));
        assertEquals(1008, node3.closeCode());
        assertEquals("hello for node node-5 refused: credential is for node node-3", node3.closeReason());
        assertTrue(node3.frames().isEmpty(), "no frame before the refusal: " + node3.frames());
        assertEquals(refusedBefore + 1, replicas.get("pool-b").get(0).metrics().refusedOtherNodes());
    }

    @Test
    @Order(5)
    void aCredentialForOneNodeCannotAckAnotherNodesGeneration() throws Exception {
        URI uri = URI.create(replicas.get("pool-b").get(0).streamUri());
        Peer node3 = Peer.connect(tls(), uri, tokenOf("node-3"));
        node3.send(dev.stockade.events.v1.AgentStreamMessage.hello("node-3", 0));
        String first = node3.nextFrame();
        assertTrue(first != null, "its own node's snapshot");
        assertEquals("node-3", WireJson.decodeAgentMessage(first.getBytes(java.nio.charset.StandardCharsets.UTF_8)).node());
        // A forged ACK of node-5 at a generation it never had: refused; everyNodesRealizedGeneration... (order 6)
        // then proves no Realized record of node-5 above its real generation reached stockade.status.
        node3.send(dev.stockade.events.v1.AgentStreamMessage.ack("node-5", FORGED_GENERATION));
        assertEquals(1008, node3.closeCode());
        assertEquals("ack for node node-5 refused: credential is for node node-3", node3.closeReason());
        Peer again = Peer.connect(tls(), uri, tokenOf("node-3"));
        again.send(dev.stockade.events.v1.AgentStreamMessage.hello("node-3", 0));
        assertTrue(again.nextFrame() != null);
        again.send(dev.stockade.events.v1.AgentStreamMessage.nack("node-6", FORGED_GENERATION, "failed: forged"));
        assertEquals(1008, again.closeCode());
        assertEquals("nack for node node-6 refused: credential is for node node-3", again.closeReason());
    }

    @Test
    @Order(5)
    void theStreamIsTlsOnlyAndACertificateOfAnotherCaIsRefused() throws Exception {
        String address = replicas.get("pool-a").get(1).address();
        assertTrue(replicas.get("pool-a").get(1).streamUri().startsWith("wss://"));
        CompletionException plain = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + tokenOf("node-2"))
                        .buildAsync(URI.create("ws://" + address + "/v1/agent-stream"), new WebSocket.Listener() { }).join());
        assertFalse(plain.getCause() instanceof java.net.http.WebSocketHandshakeException, "no plain upgrade: " + plain);
        ThrowawayCa other = ThrowawayCa.create(stateDirs.resolve("other-pki"), "other");
        CompletionException untrusted = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> HttpClient.newBuilder().sslContext(other.trustingContext()).build().newWebSocketBuilder()
                        .header("Authorization", "Bearer " + tokenOf("node-2"))
                        .buildAsync(URI.create("wss://" + address + "/v1/agent-stream"), new WebSocket.Listener() { }).join());
        assertTrue(rootCause(untrusted) instanceof java.security.GeneralSecurityException
                || rootCause(untrusted) instanceof javax.net.ssl.SSLException, String.valueOf(rootCause(untrusted)));
        assertTrue(String.valueOf(rootCause(untrusted)).contains("certification path"), String.valueOf(rootCause(untrusted)));
    }

    @Test
    @Order(6)
    void everyNodesRealizedGenerationReachesTheStatusTopic() throws Exception {
        Map<String, Long> realized = new HashMap<>();
        await(() -> "Realized records for every node at its generation: " + realized + " vs agents "
                + POOLS.keySet().stream().map(node -> node + "=" + pipeline.generation(node) + "/"
                + agents.get(node).appliedGeneration()).toList(), () -> {
            readStatus(realized);
            return POOLS.keySet().stream().allMatch(node -> realized.getOrDefault(node, -1L) == pipeline.generation(node));
        });
        assertTrue(realized.values().stream().allMatch(generation -> generation < FORGED_GENERATION),
                "no forged ACK became a Realized record: " + realized);
    }

    @Test
    @Order(7)
    void aPoolWhoseReplicasAllLostTheirStateResyncsFromTheCompilerAndItsAgentsConverge() throws Exception {
        List<DispatcherReplica> old = replicas.get("pool-b");
        List<Integer> ports = old.stream().map(replica -> Integer.parseInt(replica.address().split(":")[1])).toList();
        old.forEach(DispatcherReplica::close);
        List<DispatcherReplica> fresh = new ArrayList<>();
        // One new cluster for both new replicas (not the old pool's: its state must be lost). A name per
        // replica made two clusters of one member each, whose states never met: a node whose agent
        // streamed from the replica not reading its partition stayed behind.
        String freshCluster = "e2e-fresh-pool-b-" + System.nanoTime();
        for (int i = 0; i < 2; i++) {
            fresh.add(DispatcherReplica.start(pipeline.dispatcherSettings("pool-b", "pool-b-new-" + i),
                    new DispatcherReplica.Options(freshCluster, dev.stockade.replication.ReplicatedCaches.LOOPBACK,
                            "127.0.0.1", ports.get(i), AGENTS, ca.serverTls("pool-b-new-" + i), false)));
        }
        replicas.put("pool-b", fresh);
        feed(List.of("np15-client-egress-deny-beats-server-allow"), List.of("up27-ingress-and-egress-together"));
        awaitConverged("pool-b after its replicas restarted with empty caches", agents.keySet());
        assertTrue(fresh.stream().mapToDouble(replica -> replica.metrics().resyncRequests()).sum() > 0,
                "the empty pool asked the compiler for snapshots");
    }

    private AgentNode startAgent(String node) {
        List<String> addresses = replicas.get(POOLS.get(node)).stream().map(DispatcherReplica::address).toList();
        AgentNode agent = AgentNode.start(AgentSettings.tls(node, addresses, StreamTrust.token(tokenOf(node)), tls())
                .withStateDir(stateDirs.resolve(node))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)), new RecordingReconciler());
        agents.put(node, agent);
        return agent;
    }

    private static final long FORGED_GENERATION = 1_000_000;

    static String tokenOf(String node) {
        return "token-of-" + node;
    }

    private javax.net.ssl.SSLContext tlsContext;

    /** The agents' TLS context: trusts the throwaway CA only. */
    private javax.net.ssl.SSLContext tls() {
        if (tlsContext == null) {
            tlsContext = ca.trustingContext();
        }
        return tlsContext;
    }

    /** The status code of a refused upgrade (over TLS) with this Authorization header (null = none). */
    private int refusedUpgrade(URI uri, String authorization) {
        WebSocket.Builder builder = HttpClient.newBuilder().sslContext(tls()).build().newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> builder.buildAsync(uri, new WebSocket.Listener() { }).join());
        assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException, String.valueOf(refused.getCause()));
        return ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void awaitConverged(String step, java.util.Collection<String> nodes) throws InterruptedException {
        await(() -> step + ": " + nodes.stream().map(node -> node + " agent " + agents.get(node).appliedGeneration()
                + " pipeline " + pipeline.generation(node) + " replicas " + replicas.get(POOLS.get(node)).stream()
                .map(replica -> replica.state().generation(node)).toList()
                + (agents.get(node).ruleSet().equals(pipeline.expected(node))
                ? "" : " rules differ")).toList(),
                () -> nodes.stream().allMatch(node -> agents.get(node).appliedGeneration() == pipeline.generation(node)
                && agents.get(node).ruleSet().equals(pipeline.expected(node))));
    }

    private KafkaConsumer<String, byte[]> statusReader;

    private void readStatus(Map<String, Long> realized) {
        if (statusReader == null) {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap());
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-status-" + System.nanoTime());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            statusReader = new KafkaConsumer<>(properties);
            statusReader.subscribe(List.of("stockade.status"));
        }
        statusReader.poll(Duration.ofMillis(200)).forEach(record -> {
            try {
                StatusRecord status = WireJson.decodeStatus(record.value());
                if (StatusRecord.REALIZED.equals(status.type())) {
                    realized.merge(status.node(), status.generation(), Math::max);
                }
            } catch (dev.stockade.events.v1.WireFormatException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, condition);
    }

    private static void await(java.util.function.Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for: " + what.get());
            Thread.sleep(50);
        }
    }
}
