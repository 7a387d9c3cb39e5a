package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.netlab.Chatter;
import dev.stockade.netlab.NetnsCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * P9 of issue 13 on real nftables and real packets (a main class, not a timed test): how long after
 * a new pod's rules reach its node its verdicts are in force, for a node that fails closed.
 *
 * <p>Two nodes in network namespaces ({@link NetnsCluster}), node-1 failing closed for 10.245.0.0/16.
 * Node-1 enforces a policy {@code app=guarded} ← UDP 80 from {@code role=client}; the client group has
 * {@code -Dbench.peers} members (1,000) besides the real client x/b on node-2, so node-1's table is
 * not trivially small. Each iteration, a new pod address appears on node-1 (a /32 added to a pod
 * namespace there, routed like a CNI does), and x/b starts sending it a UDP datagram every 0.5 ms.
 * Then the engine applies the pod's ADDED event ({@code compile}: the event to node-1's delta,
 * folded into its rule set as an agent does), the rule set goes to node-1's {@link NftReconciler}
 * ({@code nft has it}: until {@code nft -f} of the delta returns, the kernel has committed it), and
 * {@code probe passes} is the first answer x/b sees, from the same hand-over instant. Pods alternate:
 * one no policy selects (its delta adds one element to the known set), one the policy selects (its
 * own chain and map entry too). {@code -Dbench.pods=N} iterations of each (200), after 20 warm-up
 * ones. An answer that came before the hand-over would be a fail-closed failure and is counted.
 * {@code render alone} times, afterwards and apart from the measured path, the Java part the
 * reconciler does before {@code nft -f}: build the wanted table and diff it.
 *
 * <p>Run as root; the command is in BENCHMARKS.md ("P9").
 */
public final class NewPodLatencyBenchmark {

    private static final String A = "10.245.1.11";
    private static final String HOST = "10.245.1.12";
    private static final String B = "10.246.1.11";
    private static final NewPods FAIL_CLOSED = NewPods.of(true, List.of("10.245.0.0/16"));

    private NewPodLatencyBenchmark() {
    }

    /** One series' samples, in microseconds. */
    private record Series(String name, List<Long> compile, List<Long> nft, List<Long> render, List<Long> firstAnswer,
                          int[] earlyAnswers) {
        Series(String name) {
            this(name, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new int[1]);
        }
    }

    public static void main(String[] args) {
        String whyNot = RealCluster.whyNot();
        if (whyNot != null) {
            System.out.println(whyNot);
            return;
        }
        int pods = Integer.getInteger("bench.pods", 200);
        int peers = Integer.getInteger("bench.peers", 1000);
        int warmUp = 20;
        try (NetnsCluster network = NetnsCluster.build(List.of(
                Given.pod("x", "a", "node-1", A, Map.of("app", "a")),
                Given.pod("x", "host", "node-1", HOST, Map.of("app", "host")),
                Given.pod("x", "b", "node-2", B, Map.of("role", "client"))))) {
            Engine engine = new Engine();
            engine.apply(ResourceEvent.added(Given.namespace("x")));
            engine.apply(ResourceEvent.added(Given.pod("x", "a", "node-1", A, Map.of("app", "a"))));
            engine.apply(ResourceEvent.added(Given.pod("x", "host", "node-1", HOST, Map.of("app", "host"))));
            engine.apply(ResourceEvent.added(Given.pod("x", "b", "node-2", B, Map.of("role", "client"))));
            for (int i = 0; i < peers; i++) {
                engine.apply(ResourceEvent.added(new PodInfo("x", "peer-" + i, Map.of("role", "client"), "node-2",
                        List.of("10.246." + (2 + i / 250) + "." + (1 + i % 250)), List.of())));
            }
            engine.apply(ResourceEvent.added(Given.ingressPolicy("x", "guard", Given.labels("app", "guarded"),
                    Given.rule(List.of(Given.pods(Given.labels("role", "client"))), List.of(Given.port("UDP", 80))))));
            NftReconciler node1 = new NftReconciler(new Nft(CommandRunner.process(), network.nodeNetns("node-1")), NodeLayout.ROUTED, FAIL_CLOSED);
            NftReconciler node2 = new NftReconciler(new Nft(CommandRunner.process(), network.nodeNetns("node-2")), NodeLayout.ROUTED,
                    NewPods.of(true, List.of("10.246.0.0/16")));
            NodeRuleSet held = engine.ruleSet("node-1");
            require(node1.reconcile(held));
            require(node2.reconcile(engine.ruleSet("node-2")));
            Chatter.Remote client = network.chatter(B);
            Series open = new Series("a new pod no policy selects");
            Series guarded = new Series("a new pod the policy selects");
            for (int i = 0; i < warmUp + 2 * pods; i++) {
                boolean selected = i % 2 == 1;
                Series series = i < warmUp ? new Series("warm-up") : selected ? guarded : open;
                held = arrive(i, selected, engine, held, node1, network, client, series);
            }
            System.out.printf(Locale.ROOT, "P9: %d new pods of each kind on node-1 (fail closed), %d elements and %d rules"
                    + " in its table at the end; %d-member client group%n", pods, TableBuilder.build(held, FAIL_CLOSED)
                    .elementCount(), TableBuilder.build(held, FAIL_CLOSED).ruleCount(), peers + 1);
            report(open);
            report(guarded);
        }
    }

    /** One new pod on node-1: its address appears, x/b talks to it, its rules are handed over; returns node-1's rules after. */
    private static NodeRuleSet arrive(int i, boolean selected, Engine engine, NodeRuleSet held, NftReconciler node1,
                                      NetnsCluster network, Chatter.Remote client, Series series) {
        String ip = "10.245." + (2 + i / 200) + "." + (10 + i % 200);
        PodInfo pod = new PodInfo("x", "new-" + i, Map.of("app", selected ? "guarded" : "open"), "node-1", List.of(ip),
                List.of(new ContainerPort("udp", 80, Protocol.UDP)));
        network.addAddress(HOST, ip);
        String flow = "f" + i;
        client.talk(flow, null, ip, 80, 500, Duration.ofSeconds(10));
        sleep(30);
        long event = Chatter.micros();
        NodeRuleSet next = held;
        for (NodeDelta delta : engine.apply(ResourceEvent.added(pod)).deltas()) {
            if (delta.node().equals("node-1")) {
                next = next.apply(delta);
            }
        }
        long handedOver = Chatter.micros();
        require(node1.reconcile(next));
        long realized = Chatter.micros();
        sleep(60);
        Chatter.Flow seen = client.stop(flow);
        if (seen.firstAnswer() < 0) {
            throw new IllegalStateException("no answer from " + ip + " within 60 ms of its rules: " + seen);
        }
        if (seen.firstAnswer() < handedOver) {
            series.earlyAnswers()[0]++;
        }
        NftTable committed = TableBuilder.build(held, FAIL_CLOSED);
        long rendering = System.nanoTime();
        NftScripts.delta(committed, TableBuilder.build(next, FAIL_CLOSED));
        series.render().add((System.nanoTime() - rendering) / 1000);
        series.compile().add(handedOver - event);
        series.nft().add(realized - handedOver);
        series.firstAnswer().add(seen.firstAnswer() - handedOver);
        return next;
    }

    private static void report(Series series) {
        System.out.printf(Locale.ROOT, "%-30s compile p50 %4.2f ms p99 %4.2f | nft has it p50 %4.1f ms p99 %4.1f max %4.1f"
                        + " (render alone p50 %4.1f) | probe passes p50 %4.1f ms p99 %4.1f max %4.1f | answers before"
                        + " hand-over: %d of %d%n",
                series.name(), pct(series.compile(), 50), pct(series.compile(), 99), pct(series.nft(), 50),
                pct(series.nft(), 99), pct(series.nft(), 100), pct(series.render(), 50), pct(series.firstAnswer(), 50),
                pct(series.firstAnswer(), 99), pct(series.firstAnswer(), 100), series.earlyAnswers()[0],
                series.firstAnswer().size());
    }

    /** The p-th percentile (nearest rank) in milliseconds. */
    private static double pct(List<Long> micros, int p) {
        List<Long> sorted = micros.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1000.0;
    }

    private static void require(ReconcileOutcome outcome) {
        if (!outcome.realized()) {
            throw new IllegalStateException("not realized: " + outcome);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
