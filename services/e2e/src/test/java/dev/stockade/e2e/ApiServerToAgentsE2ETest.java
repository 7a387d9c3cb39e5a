package dev.stockade.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.EventType;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.agent.StreamTrust;
import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.TokenReviewAuthenticator;
import dev.stockade.dispatcher.tls.ThrowawayCa;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.listener.Listener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
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
 * The whole dispatch path from the API server: fabric8's mock API server (CRUD mode) → listener →
 * a real KRaft broker → a compiler replica (its Infinispan member) → two pools (pool-a: node-1,
 * node-2, node-4; pool-b: node-3, node-5, node-6, pools being Node labels in the API server) × two
 * dispatcher replicas each → six agents with recording reconcilers. After each conformance case
 * every agent holds the full compile of its node; then a replica dies and an agent restarts. The
 * steps share one cluster and run in order. The cases are some of the project's own, plus the
 * upstream ones of {@code ../shared/conformance} when it is there ({@link NetpolCases}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiServerToAgentsE2ETest {

    /** node-6's review names only its pod (a cluster before Kubernetes 1.30): the dispatcher reads the pod's node. */
    private static final List<String> WITHOUT_NODE_INFO = List.of("node-6");
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
    private final Engine reference = new Engine();
    private final KubeObjectConverter converter = new KubeObjectConverter();
    private final Map<String, List<DispatcherReplica>> replicas = new HashMap<>();
    private final Map<String, AgentNode> agents = new LinkedHashMap<>();
    private ControlPlane plane;
    private TokenReviewApi tokenReviews;
    private ThrowawayCa ca;
    private javax.net.ssl.SSLContext agentTls;
    private final java.util.concurrent.ExecutorService reviews = java.util.concurrent.Executors.newFixedThreadPool(2);

    @BeforeAll
    void start() throws Exception {
        System.setProperty("stockade.jgroups.port", "7960");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        String prefix = "e2e-agents-" + System.nanoTime();
        plane = ControlPlane.start("e2e-agents", 3);
        for (Map.Entry<String, String> node : POOLS.entrySet()) {
            apply(ConformanceEvents.added("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\""
                    + node.getKey() + "\",\"labels\":{\"stockade.dev/pool\":\"" + node.getValue() + "\"}}}"));
        }
        // Nodes 4-6 host no case's pod; one pod each gives them rules to hold.
        apply(pod("extra-4", "a", "node-4", "10.244.4.11"));
        apply(pod("extra-5", "b", "node-5", "10.244.5.11"));
        apply(pod("extra-6", "c", "node-6", "10.244.6.11"));
        // The agent stream as in production: TLS (a throwaway CA stands in for cert-manager) and each agent's
        // projected ServiceAccount token, verified by TokenReview and bound to its pod's node.
        ca = ThrowawayCa.create(stateDirs.resolve("pki"), "e2e-agents");
        agentTls = ca.trustingContext();
        tokenReviews = new TokenReviewApi(List.copyOf(POOLS.keySet()), WITHOUT_NODE_INFO);
        TokenReviewAuthenticator authenticator = new TokenReviewAuthenticator(tokenReviews.client(),
                new TokenReviewAuthenticator.Settings("stockade-dispatcher", "stockade", "stockade-agent", Duration.ofSeconds(30)),
                reviews, Clock.systemUTC());
        for (String pool : List.of("pool-a", "pool-b")) {
            List<DispatcherReplica> pair = new ArrayList<>();
            for (String replica : List.of("r1", "r2")) {
                pair.add(DispatcherReplica.start(DispatcherSettings.defaults(plane.bootstrapServers(), pool, pool + "-" + replica),
                        DispatcherReplica.Options.loopback(prefix + "-" + pool, authenticator, ca.serverTls(pool + "-" + replica))));
            }
            replicas.put(pool, pair);
        }
        POOLS.keySet().forEach(this::startAgent);
    }

    @AfterAll
    void stop() throws Exception {
        agents.values().forEach(AgentNode::close);
        replicas.values().forEach(pair -> pair.forEach(DispatcherReplica::close));
        if (plane != null) {
            plane.close();
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
                feedCase(next);
                awaitConverged(next.toString());
            }));
        }
        steps.add(DynamicTest.dynamicTest("every node holds rules", () -> {
            long withRules = agents.values().stream().filter(agent -> !agent.ruleSet().isEmpty()).count();
            assertEquals(6, withRules, "every node holds rules");
        }));
        return steps.stream();
    }

    @Test
    @Order(2)
    void whenAReplicaDiesItsAgentsMoveToTheOtherAndConverge() throws Exception {
        DispatcherReplica dying = replicas.get("pool-a").get(0);
        DispatcherReplica surviving = replicas.get("pool-a").get(1);
        dying.close();
        await("pool-a's agents on the surviving replica", () -> surviving.metrics().agentsConnected() == 3);
        feed(List.of("np13-stacked-policies-are-additive"), List.of("up33-stop-enforcing-after-delete"));
        awaitConverged("after the replica died");
    }

    @Test
    @Order(3)
    void aRestartedAgentResumesFromItsGenerationWithoutASnapshot() throws Exception {
        agents.remove("node-1").close();
        feed(List.of("np07-named-ports-and-end-port"), List.of("up17-ingress-one-named-port"));
        AgentNode restarted = startAgent("node-1");
        awaitConverged("after the restart");
        assertEquals(0, restarted.snapshotsReceived(), "resumed from its generation with deltas, no snapshot");
        assertTrue(restarted.deltasReceived() > 0, "it missed deltas while down and got them on resume");
    }

    @Test
    @Order(4)
    void aNodesProjectedTokenCannotAskForAnotherNodeAndAnUnknownTokenIsRefused() throws Exception {
        java.net.URI uri = java.net.URI.create(replicas.get("pool-a").get(1).streamUri());
        assertTrue(uri.getScheme().equals("wss"), uri.toString());
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(agentTls).build();
        java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class, () -> client.newWebSocketBuilder()
                        .header("Authorization", "Bearer not-a-projected-token")
                        .buildAsync(uri, new java.net.http.WebSocket.Listener() { }).join());
        assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException handshake
                && handshake.getResponse().statusCode() == 401, String.valueOf(refused.getCause()));
        java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();
        java.util.List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.http.WebSocket node1 = client.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TokenReviewApi.tokenOf("node-1"))
                .buildAsync(uri, new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data,
                                                                          boolean last) {
                        frames.add(data.toString());
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket socket, int code, String reason) {
                        closed.complete(code + " " + reason);
                        return null;
                    }
                }).join();
        node1.sendText(new String(dev.stockade.events.v1.WireJson.encode(
                dev.stockade.events.v1.AgentStreamMessage.hello("node-2", 0)), java.nio.charset.StandardCharsets.UTF_8), true).join();
        assertEquals("1008 hello for node node-2 refused: credential is for node node-1", closed.get(10, TimeUnit.SECONDS));
        assertTrue(frames.isEmpty(), "none of node-2's rules: " + frames);
        assertTrue(!agents.get("node-6").ruleSet().isEmpty(), "node-6 proved its node through its pod (pre-1.30 review)");
    }

    private void feed(List<String> own, List<String> upstream) throws Exception {
        for (NetpolCases.Case next : NetpolCases.ownThenUpstream(own, upstream)) {
            feedCase(next);
        }
    }

    private void feedCase(NetpolCases.Case next) throws Exception {
        for (JsonNode event : ConformanceEvents.of(next.dir())) {
            apply(event);
        }
    }

    /** The change goes to the API server, and the reference engine sees it as the listener will. */
    private void apply(JsonNode event) {
        plane.cluster().apply(event);
        converter.convert(event.path("object")).resource().ifPresent(resource -> reference.apply(
                new ResourceEvent(EventType.valueOf(event.path("type").asText()), resource)));
    }

    private static JsonNode pod(String name, String label, String node, String ip) throws Exception {
        return ConformanceEvents.added("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"x\",\"labels\":{\"pod\":\"" + label + "\"}},\"spec\":{\"nodeName\":\"" + node
                + "\",\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}]}]},"
                + "\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\",\"podIPs\":[{\"ip\":\"" + ip + "\"}]}}");
    }

    private AgentNode startAgent(String node) {
        List<String> addresses = replicas.get(POOLS.get(node)).stream().map(DispatcherReplica::address).toList();
        AgentNode agent = AgentNode.start(AgentSettings.tls(node, addresses, StreamTrust.token(TokenReviewApi.tokenOf(node)),
                        agentTls).withStateDir(stateDirs.resolve(node))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)), new RecordingReconciler());
        agents.put(node, agent);
        return agent;
    }

    /** Every agent holds the full compile of everything applied to the API server so far. */
    private void awaitConverged(String step) throws InterruptedException {
        CompiledCluster compiled = Compiler.compile(reference.state());
        Map<String, NodeRuleSet> expected = new HashMap<>();
        POOLS.keySet().forEach(node -> expected.put(node, compiled.ruleSetFor(node)));
        await(step, () -> POOLS.keySet().stream().allMatch(node -> agents.get(node).ruleSet().equals(expected.get(node))));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }
}
