package dev.stockade.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stockade.core.engine.ApplyResult;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.verdict.Probe;
import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireJson;
import dev.stockade.netlab.Chatter;
import dev.stockade.netlab.NetnsCluster;
import dev.stockade.netlab.Requirements;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, "agent restart and node reboot never open a window", on real packets with a real agent
 * process ({@link AgentMain}, started with {@code java -cp <this test's classpath>}) programming
 * nftables in node-1's network namespace (fail closed for new pods, pod CIDR 10.246.1.0/24).
 *
 * <p>Pods on node-1: the client x/client ({@code role=client}), x/open (no policy selects it) and
 * x/guarded, which policy x/guard isolates (no ingress at first; during the agent's gap it is
 * changed to admit TCP 81 from the client). The dispatcher side is a scripted stream server in this
 * JVM ({@link Dispatcher}) that serves the node's rule set as the core compiles it (a snapshot to a
 * hello that is not current, and on every change), and can stay silent.
 *
 * <p>Kill -9: while the client sends to x/guarded and x/open without pause (UDP, one datagram a
 * millisecond, plus fresh TCP and UDP connections from new source ports), the agent is killed with
 * SIGKILL, the policy changes, and a new agent process starts from the same state directory. No
 * denied packet passes at any moment; the table is never deleted and re-created (its handle stays,
 * {@code nft monitor} sees no table added or deleted); the new agent says hello with its kept
 * generation and applies the change; the open pod stays reachable.
 *
 * <p>Reboot: the table is wiped while the agent is down. With the state file, the restarted agent
 * rebuilds the table from it before it connects, but is not enforcing (ready) until the
 * dispatcher's snapshot is applied (it asks for one with hello 0). With the file gone too, there is
 * nothing to enforce and it is not ready until the snapshot arrives; then the table is there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentProcessRestartIT {

    private static final String CLIENT = "10.246.1.11";
    private static final String OPEN = "10.246.1.12";
    private static final String GUARDED = "10.246.1.13";
    private static final String POD_CIDR = "10.246.1.0/24";
    private static final Probe TCP_80 = new Probe(80, Protocol.TCP);
    private static final Probe TCP_81 = new Probe(81, Protocol.TCP);
    private static final Probe UDP_80 = new Probe(80, Protocol.UDP);
    private static final Pattern TABLE_EVENT = Pattern.compile("(?m)^(add|delete) table inet stockade(\\s|$)");
    private static final Pattern HANDLE = Pattern.compile("table inet stockade \\{ # handle (\\d+)");

    @TempDir
    static Path work;
    private final Engine engine = new Engine();
    private NetnsCluster cluster;
    private String nodeNetns;
    private Vertx vertx;
    private Dispatcher dispatcher;
    private AgentProcess agent;

    @BeforeAll
    void build() throws Exception {
        String missing = Requirements.missing().orElse(null);
        assumeTrue(missing == null, () -> "skipped: " + missing + " (" + Requirements.INSTALL_HINT + ")");
        apply(new NamespaceInfo("x", Map.of("ns", "x"), Map.of()));
        apply(pod("client", CLIENT, Map.of("role", "client")));
        apply(pod("open", OPEN, Map.of("app", "open")));
        apply(pod("guarded", GUARDED, Map.of("app", "guarded")));
        apply(guard(false));
        cluster = NetnsCluster.build(List.of(pod("client", CLIENT, Map.of()), pod("open", OPEN, Map.of()),
                pod("guarded", GUARDED, Map.of())));
        nodeNetns = cluster.nodeNetns("node-1");
        vertx = Vertx.vertx();
        dispatcher = new Dispatcher(vertx);
        dispatcher.publish(engine.ruleSet("node-1"));
    }

    @AfterAll
    void stop() {
        if (agent != null) {
            agent.kill();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aKilledAgentLeavesNoWindowAndItsSuccessorResumesOnTheSameTable() throws Exception {
        agent = AgentProcess.start(this, "first");
        agent.awaitEnforcing();
        await("the first agent acknowledged generation 1", () -> dispatcher.acked.contains(1L));
        assertTrue(cluster.connects(CLIENT, OPEN, TCP_80), "x/open is open");
        assertFalse(cluster.connects(CLIENT, GUARDED, TCP_80), "x/guarded is isolated");
        long handle = tableHandle();

        Process monitor = new ProcessBuilder("ip", "netns", "exec", nodeNetns, "nft", "monitor")
                .redirectErrorStream(true).redirectOutput(work.resolve("monitor.log").toFile()).start();
        Chatter.Remote client = cluster.chatter(CLIENT);
        client.talk("guarded", CLIENT, GUARDED, 80, 1000, Duration.ofSeconds(60));
        client.talk("open", CLIENT, OPEN, 80, 1000, Duration.ofSeconds(60));
        Prober prober = new Prober();
        prober.start();
        try {
            Thread.sleep(700);
            long killedAt = System.nanoTime();
            agent.kill();
            apply(guard(true));
            dispatcher.publish(engine.ruleSet("node-1"));
            Thread.sleep(1500);
            long gapProbes = prober.attempts.get();

            agent = AgentProcess.start(this, "second");
            agent.awaitEnforcing();
            await("the second agent acknowledged generation 2", () -> dispatcher.acked.contains(2L));
            System.out.printf("kill -9 gap: %d ms, %d probe rounds while no agent ran%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt), gapProbes);
            Thread.sleep(700);
        } finally {
            prober.stop();
            monitor.destroy();
        }
        Chatter.Flow denied = client.stop("guarded");
        Chatter.Flow open = client.stop("open");

        assertTrue(denied.sent() > 1000, "the client kept sending to x/guarded: " + denied);
        assertEquals(0, denied.answers(), "no datagram to x/guarded passed, before, during or after the gap: " + denied);
        assertEquals(0, prober.deniedPassed.get(), "no TCP or UDP connection to x/guarded:80 passed: " + prober);
        assertTrue(prober.openPassedAfterRestart.get() > 0, "x/open answered after the restart: " + prober);
        assertTrue(open.answers() > 0, "x/open answered the datagram flow: " + open);
        assertEquals(handle, tableHandle(), () -> "the table was not deleted and re-created:\n" + agent.log());
        String events = Files.readString(work.resolve("monitor.log"));
        assertFalse(TABLE_EVENT.matcher(events).find(), "no table added or deleted across the restart:\n" + events);
        assertEquals(List.of(0L, 1L), dispatcher.hellos.stream().toList(),
                "the second agent resumed from the kept generation");
        assertTrue(agent.log().contains("resuming on that table"), agent.log());
        assertTrue(cluster.connects(CLIENT, GUARDED, TCP_81), "the change made while no agent ran is applied");
        assertFalse(cluster.connects(CLIENT, GUARDED, TCP_80), "x/guarded:80 stays denied");
    }

    @Test
    @Order(2)
    void aWipedTableIsRebuiltFromTheKeptRulesButTheAgentIsReadyOnlyAfterTheDispatchersSnapshot() throws Exception {
        agent.kill();
        cluster.exec(nodeNetns, "nft", "delete", "table", "inet", "stockade");
        assertTrue(cluster.connects(CLIENT, GUARDED, TCP_80), "the wipe opened x/guarded (the reboot case)");
        dispatcher.silent = true;
        dispatcher.hellos.clear();

        agent = AgentProcess.start(this, "after-wipe");
        await("the kept rules are back in the kernel", this::tableExists);
        assertFalse(cluster.connects(CLIENT, GUARDED, TCP_80), "isolated again from the kept rules");
        assertTrue(cluster.connects(CLIENT, GUARDED, TCP_81), "the kept rules are the latest ones");
        await("the agent said hello", () -> !dispatcher.hellos.isEmpty());
        assertEquals(0L, dispatcher.hellos.peek(), "asks for a snapshot: the kept rules are not trusted after a wipe");
        Thread.sleep(1000);
        assertFalse(agent.enforcing(), "not ready before the dispatcher's snapshot");

        dispatcher.speak();
        agent.awaitEnforcing();
        assertTrue(tableExists(), "the table is there when the agent is ready");
        assertFalse(cluster.connects(CLIENT, GUARDED, TCP_80));
    }

    @Test
    @Order(3)
    void withTableAndStateBothGoneTheAgentStaysNotReadyUntilTheSnapshotIsApplied() throws Exception {
        agent.kill();
        cluster.exec(nodeNetns, "nft", "delete", "table", "inet", "stockade");
        Files.delete(work.resolve("state").resolve(AppliedStateStore.FILE));
        dispatcher.silent = true;
        dispatcher.hellos.clear();

        agent = AgentProcess.start(this, "nothing-kept");
        await("the agent said hello", () -> !dispatcher.hellos.isEmpty());
        assertEquals(0L, dispatcher.hellos.peek());
        Thread.sleep(1000);
        assertFalse(agent.enforcing(), "nothing kept: not ready");
        assertFalse(tableExists(), "nothing kept: nothing to enforce yet");

        dispatcher.speak();
        agent.awaitEnforcing();
        assertTrue(tableExists(), "the table is there when the agent is ready");
        assertFalse(cluster.connects(CLIENT, GUARDED, TCP_80));
        assertTrue(cluster.connects(CLIENT, OPEN, TCP_80));
    }

    private boolean tableExists() {
        try {
            cluster.exec(nodeNetns, "nft", "list", "table", "inet", "stockade");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private long tableHandle() {
        Matcher matcher = HANDLE.matcher(cluster.exec(nodeNetns, "nft", "-a", "list", "table", "inet", "stockade"));
        assertTrue(matcher.find(), "nft -a lists the table's handle");
        return Long.parseLong(matcher.group(1));
    }

    private void apply(Resource resource) {
        ApplyResult result = engine.apply(ResourceEvent.modified(resource));
        assertTrue(result.rejections().isEmpty(), result.rejections()::toString);
    }

    private static PodInfo pod(String name, String ip, Map<String, String> labels) {
        List<ContainerPort> ports = new ArrayList<>();
        for (int port : new int[] {80, 81}) {
            ports.add(new ContainerPort("tcp-" + port, port, Protocol.TCP));
            ports.add(new ContainerPort("udp-" + port, port, Protocol.UDP));
        }
        return new PodInfo("x", name, labels, "node-1", List.of(ip), ports);
    }

    /** x/guard: x/guarded admits nothing, or (opened) TCP 81 from the client. */
    private static NetworkPolicyInfo guard(boolean opened) {
        List<NetworkPolicyInfo.Rule> rules = opened
                ? List.of(new NetworkPolicyInfo.Rule(List.of(new NetworkPolicyInfo.Peer(
                        LabelSelectorSpec.ofLabels(Map.of("role", "client")), null, null)),
                        List.of(new NetworkPolicyInfo.Port("TCP", 81, null, null))))
                : List.of();
        return new NetworkPolicyInfo("x", "guard", LabelSelectorSpec.ofLabels(Map.of("app", "guarded")),
                List.of("Ingress"), rules, null);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }

    /**
     * Fresh connections from the client without pause, each from a new source port (so no conntrack
     * entry helps it): TCP and UDP to x/guarded:80 (every answer is a denied packet that passed) and
     * TCP to x/open:80.
     */
    private final class Prober implements Runnable {
        final AtomicLong attempts = new AtomicLong();
        final AtomicInteger deniedPassed = new AtomicInteger();
        final AtomicInteger openPassed = new AtomicInteger();
        final AtomicInteger openPassedAfterRestart = new AtomicInteger();
        private final Thread thread = new Thread(this, "prober");
        private volatile boolean stopped;

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(30_000);
        }

        @Override
        public void run() {
            while (!stopped) {
                attempts.incrementAndGet();
                for (Probe probe : List.of(TCP_80, UDP_80)) {
                    if (cluster.attempt(CLIENT, GUARDED, probe, Duration.ofMillis(250)).ok()) {
                        deniedPassed.incrementAndGet();
                    }
                }
                if (cluster.attempt(CLIENT, OPEN, TCP_80, Duration.ofMillis(1000)).ok()) {
                    openPassed.incrementAndGet();
                    if (agent != null && agent.name.equals("second") && agent.enforcing()) {
                        openPassedAfterRestart.incrementAndGet();
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "rounds=" + attempts + " deniedPassed=" + deniedPassed + " openPassed=" + openPassed
                    + " openPassedAfterRestart=" + openPassedAfterRestart;
        }
    }

    /** An {@link AgentMain} process: node-1, this test's dispatcher, state in {@code work/state}. */
    private static final class AgentProcess {
        final String name;
        private final Process process;
        private final Path log;

        private AgentProcess(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        static AgentProcess start(AgentProcessRestartIT test, String name) throws IOException {
            Path log = work.resolve("agent-" + name + ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    AgentMain.class.getName(), "--node=node-1", "--dispatchers=127.0.0.1:" + test.dispatcher.port(),
                    "--token=t", "--state-dir=" + work.resolve("state"), "--netns=" + test.nodeNetns,
                    "--pod-cidrs=" + POD_CIDR, "--allow-plaintext=true")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new AgentProcess(name, process, log);
        }

        boolean enforcing() {
            return log().contains(AgentMain.ENFORCING);
        }

        void awaitEnforcing() throws InterruptedException {
            await("agent " + name + " is enforcing", () -> {
                assertTrue(process.isAlive() || enforcing(), () -> "agent " + name + " exited:\n" + log());
                return enforcing();
            });
        }

        /** SIGKILL, as {@code kill -9}: no shutdown hook, no goodbye to the dispatcher. */
        void kill() {
            try {
                new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).start().waitFor();
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    /**
     * The dispatcher's side of the stream, scripted: a hello whose generation is not the current one
     * gets the current rule set as a snapshot, and every connected agent gets each new one. While
     * {@code silent}, hellos are noted but not answered (a dispatcher that has not caught up).
     */
    private static final class Dispatcher {
        final BlockingQueue<Long> hellos = new LinkedBlockingQueue<>();
        final Set<Long> acked = ConcurrentHashMap.newKeySet();
        volatile boolean silent;
        private final Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
        private final HttpServer server;
        private volatile String snapshot;
        private volatile long generation;

        Dispatcher(Vertx vertx) throws Exception {
            server = vertx.createHttpServer().webSocketHandler(socket -> {
                sockets.add(socket);
                socket.closeHandler(ignored -> sockets.remove(socket));
                socket.textMessageHandler(text -> received(socket, text));
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        int port() {
            return server.actualPort();
        }

        synchronized void publish(dev.stockade.core.compiled.NodeRuleSet ruleSet) {
            generation++;
            snapshot = new String(WireJson.encode(AgentStreamMessage.snapshot(RuleDeltaCodec.toWire(ruleSet, generation))),
                    StandardCharsets.UTF_8);
            if (!silent) {
                sockets.forEach(socket -> socket.writeTextMessage(snapshot));
            }
        }

        void speak() {
            silent = false;
            sockets.forEach(socket -> socket.writeTextMessage(snapshot));
        }

        private void received(ServerWebSocket socket, String text) {
            AgentStreamMessage message;
            try {
                message = WireJson.decodeAgentMessage(text.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (AgentStreamMessage.HELLO.equals(message.type())) {
                hellos.add(message.generation());
                if (!silent && message.generation() != generation) {
                    socket.writeTextMessage(snapshot);
                }
            } else if (AgentStreamMessage.ACK.equals(message.type())) {
                acked.add(message.generation());
            }
        }
    }
}
