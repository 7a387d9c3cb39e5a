package dev.stockade.agent.dataplane;

import static dev.stockade.agent.dataplane.Given.ingressPolicy;
import static dev.stockade.agent.dataplane.Given.labels;
import static dev.stockade.agent.dataplane.Given.map;
import static dev.stockade.agent.dataplane.Given.namespace;
import static dev.stockade.agent.dataplane.Given.pod;
import static dev.stockade.agent.dataplane.Given.pods;
import static dev.stockade.agent.dataplane.Given.port;
import static dev.stockade.agent.dataplane.Given.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.netlab.Chatter;
import dev.stockade.netlab.NetnsCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 13, "new pods are isolated from their first packet", on real packets. Two nodes with their
 * own pod CIDRs (node-1 10.245.1.0/24, node-2 10.245.2.0/24), each enforced by a fail-closed
 * {@link NftReconciler}; x/a on node-1 (no policy selects it), the client x/b on node-2, and policy
 * x/guard: pods {@code app=guarded} accept TCP 80 from {@code role=client} only.
 *
 * <p>A new pod's address appears on node-1 while its node still holds rules that do not know it.
 * Flows that talk without pause ({@link Chatter}: a UDP datagram every millisecond) run into it from
 * its node and from the other node before its address exists, and out of it from its first moment;
 * real TCP connections are tried too. Nothing passes until the rule set that lists the pod is handed
 * to the reconciler (every answer is later than that instant); then a pod no policy selects opens
 * both ways, and a selected one follows its policy. With the flag off, a new pod passes at once, as
 * before. Skips itself like {@link NftablesConformanceIT} where it cannot run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NewPodsFailClosedIT {

    private static final String A = "10.245.1.11";
    private static final String B = "10.245.2.11";
    private static final Map<String, NewPods> FAIL_CLOSED = Map.of(
            "node-1", NewPods.of(true, List.of("10.245.1.0/24")), "node-2", NewPods.of(true, List.of("10.245.2.0/24")));
    private static final Duration BLOCKED_WINDOW = Duration.ofMillis(1500);
    private static final Pattern DROPS = Pattern.compile("counter packets (\\d+) bytes \\d+ drop comment \""
            + Pattern.quote(TableBuilder.NO_VERDICT) + "(source|destination)\"");

    private RealCluster real;

    @BeforeAll
    void buildTheCluster() {
        assumeTrue(RealCluster.canRun(), RealCluster.whyNot());
        real = new RealCluster(NetnsCluster.build(List.of(
                pod("x", "a", "node-1", A, map("app", "a")),
                pod("x", "b", "node-2", B, map("role", "client")))));
    }

    @AfterAll
    void removeTheCluster() {
        if (real != null) {
            real.close();
        }
    }

    @Test
    void aPodNoPolicySelectsIsClosedFromItsFirstPacketUntilItsRulesArriveThenOpens() {
        PodInfo fresh = pod("x", "n", "node-1", "10.245.1.21", map("app", "n"));
        Arrival arrival = arrive(fresh, FAIL_CLOSED);
        arrival.assertNothingPassedBeforeTheRules();
        arrival.assertEveryFlowPassedAfterTheRules();
        List<String> failures = new ArrayList<>();
        for (int port : new int[] {80, 81}) {
            real.expect(fresh.ips().get(0), A, port, Protocol.TCP, true, "new pod -> x/a TCP " + port, failures);
            real.expect(A, fresh.ips().get(0), port, Protocol.TCP, true, "x/a -> new pod TCP " + port, failures);
            real.expect(B, fresh.ips().get(0), port, Protocol.TCP, true, "x/b (node-2) -> new pod TCP " + port, failures);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void aPodAPolicySelectsIsClosedUntilItsRulesArriveThenFollowsItsPolicy() {
        PodInfo fresh = pod("x", "s", "node-1", "10.245.1.22", map("app", "guarded"));
        Arrival arrival = arrive(fresh, FAIL_CLOSED);
        arrival.assertNothingPassedBeforeTheRules();
        assertTrue(arrival.out.answers() > 0, "egress is not isolated: the new pod reaches x/a: " + arrival.out);
        assertEquals(0, arrival.fromItsNode.answers(), "x/a is no client: " + arrival.fromItsNode);
        assertEquals(0, arrival.fromOtherNode.answers(), "UDP is not allowed, even from the client: " + arrival.fromOtherNode);
        String s = fresh.ips().get(0);
        List<String> failures = new ArrayList<>();
        real.expect(B, s, 80, Protocol.TCP, true, "client x/b -> guarded TCP 80", failures);
        real.expect(B, s, 81, Protocol.TCP, false, "client x/b -> guarded TCP 81", failures);
        real.expect(A, s, 80, Protocol.TCP, false, "x/a (no client) -> guarded TCP 80", failures);
        real.expect(s, A, 80, Protocol.TCP, true, "guarded -> x/a TCP 80 (egress open)", failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The flag off is the behaviour before issue 13: a pod passes from its first packet, rules or not. */
    @Test
    void withFailClosedOffANewPodPassesBeforeItsRulesArrive() {
        PodInfo fresh = pod("x", "o", "node-1", "10.245.1.23", map("app", "o"));
        Arrival arrival = arrive(fresh, Map.of("node-1", NewPods.OPEN, "node-2", NewPods.OPEN));
        assertTrue(arrival.out.answers() > 0 && arrival.out.firstAnswer() < arrival.handedOver,
                "answered before its rules were handed over: " + arrival.out);
        assertTrue(arrival.fromOtherNode.answers() > 0 && arrival.fromOtherNode.firstAnswer() < arrival.handedOver,
                "answered before its rules were handed over: " + arrival.fromOtherNode);
        assertEquals(0, drops("node-1"), "no fail-closed rule exists");
    }

    /** What the flows saw around the instant the rule set listing the new pod was handed to its node's reconciler. */
    private record Arrival(long handedOver, long realized, Chatter.Flow out, Chatter.Flow fromItsNode,
                           Chatter.Flow fromOtherNode, long dropsBefore) {

        void assertNothingPassedBeforeTheRules() {
            for (Chatter.Flow flow : List.of(out, fromItsNode, fromOtherNode)) {
                assertTrue(flow.firstSent() > 0 && flow.firstSent() < handedOver - 1_000_000,
                        "the flow talked (a datagram a millisecond) for over a second while the pod had no verdict: " + flow);
                assertTrue(flow.firstAnswer() < 0 || flow.firstAnswer() >= handedOver,
                        "nothing answered before the rules were handed over (" + handedOver + "): " + flow);
            }
            assertTrue(dropsBefore > 100, "the fail-closed rules counted the drops: " + dropsBefore);
        }

        void assertEveryFlowPassedAfterTheRules() {
            for (Chatter.Flow flow : List.of(out, fromItsNode, fromOtherNode)) {
                assertTrue(flow.answers() > 0, "open once its rules arrived: " + flow);
            }
        }
    }

    /**
     * A pod arrives on node-1 whose rules are not there yet: the nodes enforce the cluster without it;
     * flows into it start before its address exists, the one out of it as soon as it does; TCP is tried
     * while it has no verdict; then the engine learns of the pod and node-1's reconciler gets the
     * resulting rule set. Returns the flows' view, after a further {@code 400 ms} of talking.
     */
    private Arrival arrive(PodInfo fresh, Map<String, NewPods> newPods) {
        String ip = fresh.ips().get(0);
        Engine engine = new Engine();
        for (Resource resource : List.<Resource>of(namespace("x"), pod("x", "a", "node-1", A, map("app", "a")),
                pod("x", "b", "node-2", B, map("role", "client")), ingressPolicy("x", "guard", labels("app", "guarded"),
                        rule(List.of(pods(labels("role", "client"))), List.of(port("TCP", 80)))))) {
            engine.apply(ResourceEvent.added(resource));
        }
        Map<String, NftReconciler> agents = new TreeMap<>();
        real.nodes().forEach(node -> {
            agents.put(node, new NftReconciler(real.nft(node), NodeLayout.ROUTED, newPods.get(node)));
            assertTrue(agents.get(node).reconcile(engine.ruleSet(node)).realized());
        });
        String id = fresh.name();
        Duration talking = Duration.ofSeconds(30);
        real.network().chatter(A).talk(id + "-in-local", null, ip, 80, 1000, talking);
        real.network().chatter(B).talk(id + "-in-remote", null, ip, 80, 1000, talking);
        real.network().addPodLater(fresh);
        real.network().chatter(ip).talk(id + "-out", ip, A, 80, 1000, talking);
        List<String> tcp = new ArrayList<>();
        boolean open = newPods.get("node-1") == NewPods.OPEN;
        real.expect(ip, A, 80, Protocol.TCP, open, "new pod -> x/a TCP 80 before its rules", tcp);
        real.expect(B, ip, 80, Protocol.TCP, open, "x/b -> new pod TCP 80 before its rules", tcp);
        assertTrue(tcp.isEmpty(), String.join("\n", tcp));
        sleep(BLOCKED_WINDOW);
        long dropsBefore = drops("node-1");

        List<NodeDelta> deltas = engine.apply(ResourceEvent.added(fresh)).deltas();
        assertTrue(deltas.stream().anyMatch(delta -> delta.node().equals("node-1") && !delta.localPods().isEmpty()),
                "node-1 learns of its new pod: " + deltas);
        long handedOver = micros();
        ReconcileOutcome outcome = agents.get("node-1").reconcile(engine.ruleSet("node-1"));
        long realized = micros();
        assertTrue(outcome.realized(), outcome.toString());
        sleep(Duration.ofMillis(400));
        Arrival arrival = new Arrival(handedOver, realized, real.network().chatter(ip).stop(id + "-out"),
                real.network().chatter(A).stop(id + "-in-local"), real.network().chatter(B).stop(id + "-in-remote"),
                dropsBefore);
        System.out.printf("  %s: rules realized %.1f ms after hand-over; first answer after hand-over (ms): out %s,"
                + " from its node %s, from node-2 %s; %d datagrams dropped by the fail-closed rules before%n", fresh.key(),
                (realized - handedOver) / 1000.0, since(arrival.out, handedOver), since(arrival.fromItsNode, handedOver),
                since(arrival.fromOtherNode, handedOver), dropsBefore);
        return arrival;
    }

    private static String since(Chatter.Flow flow, long instant) {
        return flow.firstAnswer() < 0 ? "none" : String.format(java.util.Locale.ROOT, "%.1f",
                (flow.firstAnswer() - instant) / 1000.0);
    }

    /** Packets the fail-closed rules of a node's base chain dropped so far; 0 when there are none. */
    private long drops(String node) {
        String listing = real.network().exec(real.network().nodeNetns(node), "nft", "list", "chain", "inet", "stockade",
                Names.FORWARD);
        long total = 0;
        Matcher matcher = DROPS.matcher(listing);
        while (matcher.find()) {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }

    private static long micros() {
        return Chatter.micros();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
