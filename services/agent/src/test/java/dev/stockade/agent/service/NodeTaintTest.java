package dev.stockade.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.AppliedStateStore;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireJson;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * The node taint against fabric8's mock API server (CRUD): a real {@link AgentNode} (recording
 * reconciler) behind a scripted dispatcher, and {@link NodeTaintController} on the agent's client.
 * The taint goes only after the rules are enforced, nothing else on the Node changes, a node left
 * unprotected at start is tainted until then, a restart on a kept table never taints, and a
 * concurrent change to the taints is retried on a fresh read.
 */
class NodeTaintTest {

    static final String NODE = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"stockade.dev/pool":"pool-a",
              "kubernetes.io/hostname":"n1"},"annotations":{"example.com/owner":"team-a"}},
             "spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"],"taints":[
               {"key":"example.com/dedicated","value":"db","effect":"NoSchedule"},
               {"key":"stockade.dev/agent-not-ready","effect":"NoSchedule"},
               {"key":"example.com/drain","effect":"PreferNoSchedule"}]},
             "status":{"capacity":{"cpu":"4"}}}""";
    static final String OTHER_NODE = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"n2"},
             "spec":{"taints":[{"key":"stockade.dev/agent-not-ready","effect":"NoSchedule"}]}}""";

    @TempDir
    Path state;
    private final Vertx vertx = Vertx.vertx();
    private final BlockingQueue<AgentStreamMessage> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<ServerWebSocket> sockets = new LinkedBlockingQueue<>();
    private final MockNodes api = new MockNodes();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable each : closing) {
            each.close();
        }
        api.close();
        vertx.close();
    }

    @Test
    void theTaintIsRemovedOnlyOnceTheRulesAreEnforcedAndNothingElseOnTheNodeChanges() throws Exception {
        api.create(NODE);
        api.create(OTHER_NODE);
        Node before = api.node("n1");
        AgentNode agent = start(new RecordingReconciler());
        assertEquals(AgentStreamMessage.HELLO, next().type());
        Thread.sleep(300);
        assertTrue(new NodeTaint(api.admin(), "n1").present(), "connected but nothing applied yet: still tainted");

        sockets.take().writeTextMessage(snapshot(2));
        await(agent::enforcing);
        await(() -> !new NodeTaint(api.admin(), "n1").present());

        Node after = api.node("n1");
        assertEquals(withoutOurTaint(before), withoutVersion(after), "only our taint went");
        assertEquals(List.of("example.com/dedicated", "example.com/drain"),
                after.getSpec().getTaints().stream().map(Taint::getKey).toList(), "the other taints, in their order");
        assertTrue(new NodeTaint(api.admin(), "n2").present(), "another node is never touched");
        assertTrue(api.requests().stream().allMatch(r -> r.path().startsWith("/api/v1/nodes/n1")), api.requests()::toString);
    }

    @Test
    void aNodeLeftUnprotectedAtStartIsTaintedUntilTheDispatchersSnapshotIsEnforced() throws Exception {
        api.create("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"a":"b"}},"spec":{}}""");
        new AppliedStateStore(state).save(ruleSet(), 3);
        AgentNode agent = start(new RecordingReconciler().kernelLost());
        assertEquals(0L, next().generation(), "the kernel lost the kept table: the agent asks for a snapshot");
        await(() -> new NodeTaint(api.admin(), "n1").present());
        Thread.sleep(200);
        assertFalse(agent.enforcing());
        assertTrue(new NodeTaint(api.admin(), "n1").present(), "tainted while the kept rules are not trusted");

        sockets.take().writeTextMessage(snapshot(4));
        await(() -> !new NodeTaint(api.admin(), "n1").present());
        assertEquals(Map.of("a", "b"), api.node("n1").getMetadata().getLabels());
    }

    @Test
    void anAgentRestartedOnItsKeptTableNeverTaintsItsNode() throws Exception {
        api.create("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{}}""");
        new AppliedStateStore(state).save(ruleSet(), 3);
        AgentNode agent = start(new RecordingReconciler().kernelHolds(ruleSet()));
        assertTrue(agent.enforcing());
        assertEquals(3L, next().generation(), "resumes from its generation");
        Thread.sleep(300);
        assertFalse(new NodeTaint(api.admin(), "n1").present());
        assertTrue(api.requests().stream().noneMatch(r -> r.body().contains("\"add\"")), api.requests()::toString);
    }

    @Test
    void aPatchRefusedBecauseTheTaintsChangedIsRetriedOnAFreshRead() throws Exception {
        api.create(NODE);
        AgentNode agent = start(new RecordingReconciler());
        next();
        api.admin().nodes().withName("n1").edit(node -> new NodeBuilder(node).editSpec()
                .addToTaints(0, new TaintBuilder().withKey("example.com/new").withEffect("NoExecute").build())
                .endSpec().build());
        api.failNextPatch();
        sockets.take().writeTextMessage(snapshot(2));
        await(agent::enforcing);
        await(() -> !new NodeTaint(api.admin(), "n1").present());
        assertEquals(List.of("example.com/new", "example.com/dedicated", "example.com/drain"),
                api.node("n1").getSpec().getTaints().stream().map(Taint::getKey).toList(), "the other taints are kept");
        List<MockNodes.Request> patches = api.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
        assertEquals(2, patches.size(), "the refused patch was retried once: " + patches);
        List<String> methods = api.requests().stream().map(MockNodes.Request::method).toList();
        int first = methods.indexOf("PATCH");
        assertTrue(methods.subList(first, methods.lastIndexOf("PATCH")).contains("GET"),
                "a fresh read between the refused patch and its retry: " + methods);
        assertTrue(patches.get(1).body().contains("/spec/taints/2/key"), "the retry removes the taint where it is now: "
                + patches.get(1).body());
    }

    /** The requests the agent's client made in a whole taint-and-untaint life (for the RBAC contract). */
    static List<MockNodes.Request> recordedLife(Path state) throws Exception {
        NodeTaintTest test = new NodeTaintTest();
        test.state = state;
        try {
            test.aNodeLeftUnprotectedAtStartIsTaintedUntilTheDispatchersSnapshotIsEnforced();
            return test.api.requests();
        } finally {
            test.stop();
        }
    }

    private AgentNode start(RecordingReconciler reconciler) throws Exception {
        HttpServer server = vertx.createHttpServer().webSocketHandler(socket -> {
            sockets.add(socket);
            socket.textMessageHandler(text -> {
                try {
                    received.add(WireJson.decodeAgentMessage(text.getBytes(StandardCharsets.UTF_8)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        AgentNode agent = AgentNode.start(AgentSettings.of("n1", List.of("127.0.0.1:" + server.actualPort()), "t")
                .withStateDir(state), reconciler);
        closing.add(agent);
        NodeTaintController controller = NodeTaintController.start(new NodeTaint(api.agentClient(), "n1"), agent,
                Duration.ofMillis(50), Duration.ofMillis(500));
        closing.add(0, controller);
        return agent;
    }

    private AgentStreamMessage next() throws InterruptedException {
        AgentStreamMessage message = received.poll(10, TimeUnit.SECONDS);
        assertTrue(message != null, "the agent sent a frame");
        return message;
    }

    private static NodeRuleSet ruleSet() {
        TreeMap<String, GroupMember> members = new TreeMap<>();
        members.put("x/a", new GroupMember("x/a", "n1", List.of("10.244.1.5"), List.of()));
        return new NodeRuleSet("n1", new TreeMap<>(), new TreeMap<>(), new TreeMap<>(Map.of("g", new MemberGroup("g", "s", members))));
    }

    private static String snapshot(long generation) {
        return new String(WireJson.encode(AgentStreamMessage.snapshot(RuleDeltaCodec.toWire(ruleSet(), generation))),
                StandardCharsets.UTF_8);
    }

    private static Node withoutOurTaint(Node node) {
        Node copy = withoutVersion(node);
        copy.getSpec().setTaints(copy.getSpec().getTaints().stream().filter(t -> !t.getKey().equals(NodeTaint.KEY)).toList());
        return copy;
    }

    private static Node withoutVersion(Node node) {
        Node copy = new NodeBuilder(node).build();
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setGeneration(null);
        copy.getMetadata().setManagedFields(null);
        return copy;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(20);
        }
    }
}
