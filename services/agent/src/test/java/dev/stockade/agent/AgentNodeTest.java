package dev.stockade.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.agent.dataplane.ReconcileOutcome;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.compiled.PolicyPatch;
import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against scripted dispatchers (plain Vert.x WebSocket servers speaking the stream protocol). */
class AgentNodeTest {

    private final Vertx vertx = Vertx.vertx();
    private final BlockingQueue<AgentStreamMessage> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<ServerWebSocket> sockets = new LinkedBlockingQueue<>();
    @TempDir
    Path state;

    @AfterEach
    void stop() {
        vertx.close();
    }

    private HttpServer dispatcher() throws Exception {
        return vertx.createHttpServer().webSocketHandler(socket -> {
            sockets.add(socket);
            socket.textMessageHandler(text -> {
                try {
                    received.add(WireJson.decodeAgentMessage(text.getBytes(StandardCharsets.UTF_8)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static NodeRuleSet ruleSet(String... pods) {
        TreeMap<String, GroupMember> members = new TreeMap<>();
        for (String pod : pods) {
            members.put(pod, new GroupMember(pod, "n1", List.of("10.0.0.1"), List.of()));
        }
        return new NodeRuleSet("n1", new TreeMap<>(), new TreeMap<>(), new TreeMap<>(Map.of("g", new MemberGroup("g", "s", members))));
    }

    private static String addPod(long generation, String pod) {
        GroupPatch none = new GroupPatch(List.of(), List.of(), List.of());
        GroupPatch add = new GroupPatch(List.of(), List.of(), List.of(new dev.stockade.core.compiled.MemberPatch("g",
                List.of(new GroupMember(pod, "n1", List.of("10.0.0.1"), List.of())), List.of())));
        return json(AgentStreamMessage.delta(RuleDeltaCodec.toWire(new NodeDelta("n1", generation,
                new PolicyPatch(List.of(), List.of()), none, add), generation)));
    }

    private static String json(AgentStreamMessage message) {
        return new String(WireJson.encode(message), StandardCharsets.UTF_8);
    }

    private AgentStreamMessage next() throws InterruptedException {
        AgentStreamMessage message = received.poll(10, TimeUnit.SECONDS);
        assertTrue(message != null, "the agent sent a frame");
        return message;
    }

    @Test
    void itKeepsItsRulesWhenTheDispatcherGoesAwayAndResumesFromItsGenerationOnAnother() throws Exception {
        HttpServer first = dispatcher();
        HttpServer second = dispatcher();
        AgentNode agent = AgentNode.start(AgentSettings.of("n1", List.of("127.0.0.1:" + first.actualPort(),
                "127.0.0.1:" + second.actualPort()), "t").withBackoff(Duration.ofMillis(20), Duration.ofMillis(100)),
                new RecordingReconciler());
        try {
            AgentStreamMessage hello = next();
            assertEquals(AgentStreamMessage.HELLO, hello.type());
            assertEquals(0L, hello.generation());
            ServerWebSocket socket = sockets.take();
            socket.writeTextMessage(json(AgentStreamMessage.snapshot(RuleDeltaCodec.toWire(ruleSet("x/a"), 5))));
            assertEquals(AgentStreamMessage.ACK, next().type());
            assertEquals(ruleSet("x/a"), agent.ruleSet());

            socket.close();
            (socket.localAddress().port() == first.actualPort() ? first : second).close();
            AgentStreamMessage again = next();
            assertEquals(AgentStreamMessage.HELLO, again.type());
            assertEquals(5L, again.generation(), "resumes from the generation it holds");
            assertEquals(ruleSet("x/a"), agent.ruleSet(), "fail closed: nothing removed while disconnected");
            assertEquals(AgentStreamMessage.ACK, next().type(), "re-reports what it enforces");
            sockets.take().writeTextMessage(addPod(6, "x/b"));
            AgentStreamMessage ack = next();
            assertEquals(6L, ack.generation());
            assertEquals(ruleSet("x/a", "x/b"), agent.ruleSet());
        } finally {
            agent.close();
        }
    }

    @Test
    void aGapIsNackedAndARestartedAgentEnforcesItsKeptRulesBeforeConnecting() throws Exception {
        HttpServer server = dispatcher();
        AgentSettings settings = AgentSettings.of("n1", List.of("127.0.0.1:" + server.actualPort()), "t").withStateDir(state);
        AgentNode agent = AgentNode.start(settings, new RecordingReconciler());
        next();
        ServerWebSocket socket = sockets.take();
        socket.writeTextMessage(json(AgentStreamMessage.snapshot(RuleDeltaCodec.toWire(ruleSet("x/a"), 3))));
        assertEquals(3L, next().generation());
        socket.writeTextMessage(addPod(5, "x/b"));
        AgentStreamMessage nack = next();
        assertEquals(AgentStreamMessage.NACK, nack.type());
        assertTrue(nack.error().startsWith("gap:"), nack.error());
        agent.close();

        RecordingReconciler reconciler = new RecordingReconciler().kernelHolds(ruleSet("x/a"));
        AgentNode restarted = AgentNode.start(settings, reconciler);
        try {
            assertTrue(restarted.enforcing(), "the kernel kept the table: enforcing from the start");
            assertEquals(3L, restarted.appliedGeneration(), "the adopted table's generation, from the start");
            await(() -> !reconciler.calls().isEmpty());
            assertEquals(ruleSet("x/a"), restarted.ruleSet());
            assertEquals(ReconcileOutcome.Mode.UNCHANGED, mode(reconciler.calls().get(0)), "adopted, not re-created");
            AgentStreamMessage hello = next();
            while (!AgentStreamMessage.HELLO.equals(hello.type())) {
                hello = next();
            }
            assertEquals(3L, hello.generation());
        } finally {
            restarted.close();
        }
    }

    /**
     * The reboot case: the kept rule set is there but the kernel lost its table. The agent enforces
     * the kept rules at once (a snapshot, before connecting) but does not trust them: it asks for a
     * snapshot (hello 0) and is enforcing only when the dispatcher's rule set is realized.
     */
    @Test
    void aKeptRuleSetWhoseTableIsGoneIsEnforcedAtOnceButTrustedOnlyAfterTheDispatchersSnapshot() throws Exception {
        HttpServer server = dispatcher();
        AgentSettings settings = AgentSettings.of("n1", List.of("127.0.0.1:" + server.actualPort()), "t").withStateDir(state);
        new AppliedStateStore(state).save(ruleSet("x/a"), 7);
        RecordingReconciler wiped = new RecordingReconciler().kernelLost();
        AgentNode agent = AgentNode.start(settings, wiped);
        try {
            AgentStreamMessage hello = next();
            assertEquals(AgentStreamMessage.HELLO, hello.type());
            assertEquals(0L, hello.generation(), "asks for a snapshot");
            assertEquals(ReconcileOutcome.Mode.SNAPSHOT, mode(wiped.calls().get(0)), "kept rules rebuilt at once");
            assertEquals(ruleSet("x/a"), wiped.calls().get(0).desired());
            assertTrue(!agent.enforcing(), "not trusted before the dispatcher's snapshot");
            sockets.take().writeTextMessage(json(AgentStreamMessage.snapshot(RuleDeltaCodec.toWire(ruleSet("x/a", "x/b"), 9))));
            await(agent::enforcing);
            assertEquals(9L, agent.enforcingFuture().toCompletableFuture().get());
            assertEquals(ruleSet("x/a", "x/b"), agent.ruleSet());
        } finally {
            agent.close();
        }
    }

    @Test
    void withNothingKeptTheAgentIsEnforcingOnlyOnceTheDispatchersFirstRuleSetIsRealized() throws Exception {
        HttpServer server = dispatcher();
        RecordingReconciler reconciler = new RecordingReconciler();
        AgentNode agent = AgentNode.start(AgentSettings.of("n1", List.of("127.0.0.1:" + server.actualPort()), "t")
                .withStateDir(state), reconciler);
        try {
            assertEquals(0L, next().generation());
            Thread.sleep(200);
            assertTrue(!agent.enforcing() && reconciler.calls().isEmpty(), "nothing to enforce yet");
            reconciler.refuse("nft is not usable");
            ServerWebSocket socket = sockets.take();
            socket.writeTextMessage(json(AgentStreamMessage.snapshot(RuleDeltaCodec.toWire(ruleSet("x/a"), 2))));
            assertEquals(AgentStreamMessage.NACK, next().type());
            assertTrue(!agent.enforcing(), "a refused reconcile is not enforcing");
            reconciler.refuse(null);
            await(agent::enforcing);
            assertEquals(2L, agent.appliedGeneration());
        } finally {
            agent.close();
        }
    }

    private static ReconcileOutcome.Mode mode(RecordingReconciler.Call call) {
        return ((ReconcileOutcome.Realized) call.outcome()).mode();
    }

    /**
     * A frame that does not decode or apply is NACKed and the next one is taken: the stream never
     * stalls on it. The last two threw out of the frame handler (NullPointerException,
     * IllegalStateException) and went unanswered, until the fuzz properties found them.
     */
    @Test
    void badFramesAreNackedOneByOneAndTheNextGoodFrameApplies() throws Exception {
        HttpServer server = dispatcher();
        AgentNode agent = AgentNode.start(AgentSettings.of("n1", List.of("127.0.0.1:" + server.actualPort()), "t"),
                new RecordingReconciler());
        try {
            assertEquals(AgentStreamMessage.HELLO, next().type());
            ServerWebSocket socket = sockets.take();
            socket.writeTextMessage(json(AgentStreamMessage.snapshot(RuleDeltaCodec.toWire(ruleSet("x/a"), 3))));
            assertEquals(AgentStreamMessage.ACK, next().type());
            String snapshotWithoutNode = "{\"schemaVersion\":1,\"type\":\"snapshot\",\"snapshot\":{\"schemaVersion\":1,"
                    + "\"generation\":9,\"policies\":[],\"appliedToGroups\":[],\"addressGroups\":[]}}";
            String patchOfAnUnknownGroup = addPod(4, "x/b").replace("\"group\":\"g\"", "\"group\":\"nope\"");
            for (String bad : List.of("not JSON", "[".repeat(10_000), snapshotWithoutNode, patchOfAnUnknownGroup)) {
                socket.writeTextMessage(bad);
                AgentStreamMessage nack = next();
                assertEquals(AgentStreamMessage.NACK, nack.type(), bad);
                assertTrue(nack.error().startsWith("decode: "), nack.error());
            }
            socket.writeTextMessage(addPod(4, "x/b"));
            AgentStreamMessage ack = next();
            assertEquals(AgentStreamMessage.ACK, ack.type());
            assertEquals(4L, ack.generation());
            assertEquals(ruleSet("x/a", "x/b"), agent.ruleSet());
        } finally {
            agent.close();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(20);
        }
    }
}
