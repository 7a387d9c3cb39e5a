package dev.stockade.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stockade.agent.AgentMain;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.verdict.Probe;
import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.NodeTokens;
import dev.stockade.dispatcher.tls.ThrowawayCa;
import dev.stockade.netlab.Chatter;
import dev.stockade.netlab.NetnsCluster;
import dev.stockade.netlab.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, "agent process kill -9 + restart with zero denied packets passing", through the real
 * system: fabric8's mock API server → listener → a real KRaft broker → a compiler replica → a
 * dispatcher replica (TLS from a throwaway CA, a token for node-1) → the agent as its own OS process
 * ({@link AgentMain}, {@code java -cp <this test's class path>}) programming nftables in node-1's
 * network namespace, fail closed for new pods in 10.247.1.0/24.
 *
 * <p>Pods on node-1: x/client ({@code role=client}), x/open (no policy) and x/guarded, which policy
 * x/guard isolates with no ingress. While the client sends a UDP datagram every millisecond to
 * x/guarded:80 and to x/open:80 and opens fresh TCP and UDP connections, the agent is killed with
 * SIGKILL; during the gap x/guard is changed in the API server to admit TCP 81 from the client; a new
 * agent process starts from the same state directory. No denied packet passes at any moment; the
 * table is never deleted and re-created (same handle, no table event in {@code nft monitor}); the new
 * agent resumes on the kept table and the change made during the gap reaches the kernel.
 * (The agent's own test, {@code AgentProcessRestartIT} in services/agent, also covers the wiped-table
 * and no-state starts against a scripted stream.) Skips itself where it cannot run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentKillNineE2ETest {

    private static final String CLIENT = "10.247.1.11";
    private static final String OPEN = "10.247.1.12";
    private static final String GUARDED = "10.247.1.13";
    private static final String TOKEN = "kill-nine-token-of-node-1";
    private static final Probe TCP_80 = new Probe(80, Protocol.TCP);
    private static final Probe TCP_81 = new Probe(81, Protocol.TCP);
    private static final Probe UDP_80 = new Probe(80, Protocol.UDP);
    private static final Pattern TABLE_EVENT = Pattern.compile("(?m)^(add|delete) table inet stockade(\\s|$)");
    private static final Pattern HANDLE = Pattern.compile("table inet stockade \\{ # handle (\\d+)");

    @TempDir
    static Path work;
    private ControlPlane plane;
    private DispatcherReplica dispatcher;
    private ThrowawayCa ca;
    private NetnsCluster network;
    private Process agent;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Requirements.missing().isEmpty(), () -> "skipped: needs " + Requirements.missing().orElse(""));
        System.setProperty("stockade.jgroups.port", "7870");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        String prefix = "e2e-kill-nine-" + System.nanoTime();
        plane = ControlPlane.start("e2e-kill-nine", 1);
        ca = ThrowawayCa.create(work.resolve("ca"), "e2e-kill-nine");
        dispatcher = DispatcherReplica.start(DispatcherSettings.defaults(plane.bootstrapServers(), "pool-a", "pool-a-1"),
                DispatcherReplica.Options.loopback(prefix + "-pool-a",
                        authorization -> NodeTokens.of(Map.of("node-1", TOKEN)).authenticate(authorization), ca.serverTls("pool-a")));

        apply("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\",\"labels\":{\"stockade.dev/pool\":\"pool-a\"}},"
                + "\"spec\":{\"podCIDR\":\"10.247.1.0/24\",\"podCIDRs\":[\"10.247.1.0/24\"]}}");
        apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\"}}");
        apply(pod("client", CLIENT, "role", "client"));
        apply(pod("open", OPEN, "app", "open"));
        apply(pod("guarded", GUARDED, "app", "guarded"));
        apply(guard(false));
        network = NetnsCluster.build(List.of(wired("client", CLIENT), wired("open", OPEN), wired("guarded", GUARDED)));
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            kill(agent);
        }
        if (network != null) {
            network.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (plane != null) {
            plane.close();
        }
    }

    @Test
    void aKilledAgentProcessLetsNoDeniedPacketThroughAndItsSuccessorResumesWithoutAFlush() throws Exception {
        agent = startAgent("first");
        awaitEnforcing("first");
        await("x/open reachable, x/guarded isolated", () -> network.connects(CLIENT, OPEN, TCP_80)
                && !network.connects(CLIENT, GUARDED, TCP_80));
        String nodeNetns = network.nodeNetns("node-1");
        long handle = handle(nodeNetns);

        Process monitor = new ProcessBuilder("ip", "netns", "exec", nodeNetns, "nft", "monitor")
                .redirectErrorStream(true).redirectOutput(work.resolve("monitor.log").toFile()).start();
        Chatter.Remote client = network.chatter(CLIENT);
        client.talk("guarded", CLIENT, GUARDED, 80, 1000, Duration.ofSeconds(90));
        client.talk("open", CLIENT, OPEN, 80, 1000, Duration.ofSeconds(90));
        AtomicInteger deniedPassed = new AtomicInteger();
        AtomicInteger rounds = new AtomicInteger();
        Thread prober = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                rounds.incrementAndGet();
                for (Probe probe : List.of(TCP_80, UDP_80)) {
                    if (network.attempt(CLIENT, GUARDED, probe, Duration.ofMillis(250)).ok()) {
                        deniedPassed.incrementAndGet();
                    }
                }
            }
        }, "prober");
        prober.start();
        try {
            Thread.sleep(700);
            kill(agent);
            apply(guard(true));
            Thread.sleep(2000);
            agent = startAgent("second");
            awaitEnforcing("second");
            await("the change made while no agent ran is enforced", () -> network.connects(CLIENT, GUARDED, TCP_81));
            Thread.sleep(500);
        } finally {
            prober.interrupt();
            prober.join(30_000);
            monitor.destroy();
        }
        Chatter.Flow denied = client.stop("guarded");
        Chatter.Flow open = client.stop("open");

        assertTrue(denied.sent() > 1000, "the client kept sending to x/guarded: " + denied);
        assertEquals(0, denied.answers(), "no datagram to x/guarded:80 passed before, during or after the gap: " + denied);
        assertEquals(0, deniedPassed.get(), "no fresh TCP or UDP connection to x/guarded:80 passed (" + rounds + " rounds)");
        assertTrue(open.answers() > 0, "x/open answered: " + open);
        assertTrue(network.connects(CLIENT, OPEN, TCP_80), "x/open stays reachable");
        assertFalse(network.connects(CLIENT, GUARDED, TCP_80), "x/guarded:80 stays denied");
        assertEquals(handle, handle(nodeNetns), "the table was not deleted and re-created");
        String events = Files.readString(work.resolve("monitor.log"));
        assertFalse(TABLE_EVENT.matcher(events).find(), "no table added or deleted across the restart:\n" + events);
        assertTrue(log("second").contains("resuming on that table"), log("second"));
    }

    private Process startAgent(String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--node=node-1", "--dispatchers=" + dispatcher.address(), "--token=" + TOKEN, "--tls-ca=" + ca.caFile(),
                "--state-dir=" + work.resolve("state"), "--netns=" + network.nodeNetns("node-1"), "--pod-cidrs=10.247.1.0/24")
                .redirectErrorStream(true).redirectOutput(work.resolve("agent-" + name + ".log").toFile()).start();
    }

    private void awaitEnforcing(String name) throws InterruptedException {
        await("agent " + name + " is enforcing", () -> {
            assertTrue(agent.isAlive(), () -> "agent " + name + " exited:\n" + log(name));
            return log(name).contains(AgentMain.ENFORCING);
        });
    }

    private static String log(String name) {
        try {
            return Files.readString(work.resolve("agent-" + name + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL, as {@code kill -9}. */
    private static void kill(Process process) throws Exception {
        new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).start().waitFor();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private long handle(String netns) {
        Matcher matcher = HANDLE.matcher(network.exec(netns, "nft", "-a", "list", "table", "inet", "stockade"));
        assertTrue(matcher.find(), "nft -a lists the table's handle");
        return Long.parseLong(matcher.group(1));
    }

    private void apply(String objectJson) throws Exception {
        plane.cluster().apply(ConformanceEvents.added(objectJson));
    }

    private static String pod(String name, String ip, String label, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"x\",\"labels\":{\""
                + label + "\":\"" + value + "\"}},\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"c\"}]},"
                + "\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\",\"podIPs\":[{\"ip\":\"" + ip + "\"}]}}";
    }

    private static String guard(boolean opened) {
        return "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":{\"name\":\"guard\","
                + "\"namespace\":\"x\"},\"spec\":{\"podSelector\":{\"matchLabels\":{\"app\":\"guarded\"}},\"policyTypes\":[\"Ingress\"]"
                + (opened ? ",\"ingress\":[{\"from\":[{\"podSelector\":{\"matchLabels\":{\"role\":\"client\"}}}],"
                        + "\"ports\":[{\"protocol\":\"TCP\",\"port\":81}]}]" : "") + "}}";
    }

    private static PodInfo wired(String name, String ip) {
        return new PodInfo("x", name, Map.of(), "node-1", List.of(ip), List.of());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }
}
