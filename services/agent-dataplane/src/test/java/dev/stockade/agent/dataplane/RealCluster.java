package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.netlab.Attempt;
import dev.stockade.netlab.NetnsCluster;
import dev.stockade.netlab.Requirements;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The real-packet harness around a {@link NetnsCluster}: agents per node, and probing a truth
 * table in parallel (bounded: 16 probes at a time, each at most a few seconds).
 */
final class RealCluster implements AutoCloseable {

    private static final int PARALLEL_PROBES = 16;
    private final NetnsCluster network;
    private final ExecutorService probes = Executors.newFixedThreadPool(PARALLEL_PROBES);

    RealCluster(NetnsCluster network) {
        this.network = network;
    }

    /** True when this process can build namespaces and run nft and socat. */
    static boolean canRun() {
        return whyNot() == null;
    }

    /** Why the real-packet tests cannot run here; null when they can. */
    static String whyNot() {
        return Requirements.missing().map(missing -> "skipped: real-packet nftables tests: " + missing).orElse(null);
    }

    NetnsCluster network() {
        return network;
    }

    /** nft in a node's netns. */
    Nft nft(String node) {
        return new Nft(CommandRunner.process(), network.nodeNetns(node));
    }

    /** Node names, sorted. */
    TreeSet<String> nodes() {
        TreeSet<String> nodes = new TreeSet<>();
        for (String ip : podIps()) {
            nodes.add(network.pod(ip).node());
        }
        return nodes;
    }

    /** The IPs of the pods the network was built with, sorted. */
    TreeSet<String> podIps() {
        return new TreeSet<>(network.podIps());
    }

    /** One new agent per node, as after an agent restart: each will start with a full snapshot. */
    Map<String, NftReconciler> freshAgents() {
        Map<String, NftReconciler> agents = new TreeMap<>();
        nodes().forEach(node -> agents.put(node, new NftReconciler(nft(node), NodeLayout.ROUTED)));
        return agents;
    }

    /**
     * Probes every expected verdict of a step that can be probed (not self, not SCTP) and returns
     * a line for each mismatch; also holds the core's verdict oracle to the truth table.
     */
    List<String> check(ConformanceCase.Step step, Engine engine, Map<String, NodeRuleSet> nodes) {
        VerdictEvaluator oracle = new VerdictEvaluator(node -> nodes.getOrDefault(node, NodeRuleSet.empty(node)));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> running = new ArrayList<>();
        int[] counts = new int[4];
        for (ConformanceCase.Expected expected : step.verdicts()) {
            Endpoint from = Endpoint.of(engine.state().pods().get(expected.from())).orElseThrow();
            Endpoint to = Endpoint.of(engine.state().pods().get(expected.to())).orElseThrow();
            if (oracle.allowed(from, to, expected.probe()) != expected.allowed()) {
                failures.add("step " + step.events() + " ORACLE " + describe(expected) + ": core verdict differs");
            }
            if (from.pod().equals(to.pod()) || expected.probe().protocol() == Protocol.SCTP) {
                counts[from.pod().equals(to.pod()) ? 2 : 3]++;
                continue;
            }
            counts[expected.allowed() ? 0 : 1]++;
            running.add(probes.submit(() -> expect(from.ip(), to.ip(), expected.probe().port(), expected.probe().protocol(),
                    expected.allowed(), "step " + step.events() + " " + describe(expected), failures)));
        }
        await(running);
        System.out.printf("  step %d (%s): probed %d allowed + %d denied pairs on real packets; skipped %d self, %d SCTP%n",
                step.events(), step.description(), counts[0], counts[1], counts[2], counts[3]);
        if (counts[0] == 0 && counts[1] == 0) {
            failures.add("step " + step.events() + " probed nothing");
        }
        return failures;
    }

    /**
     * Probes once and records a failure line when the result differs. An expected-allowed probe
     * that saw nothing is retried once: a reply cannot be faked, but a slow machine can miss one.
     */
    void expect(String fromIp, String toIp, int port, Protocol protocol, boolean allowed, String what, List<String> failures) {
        Probe probe = new Probe(port, protocol);
        Attempt first = network.attempt(fromIp, toIp, probe, Duration.ofMillis(1500));
        Attempt result = !first.ok() && allowed ? network.attempt(fromIp, toIp, probe, Duration.ofSeconds(4)) : first;
        if (result.ok() != allowed) {
            failures.add(what + ": expected " + (allowed ? "allowed" : "denied") + ", real packets were "
                    + (result.ok() ? "allowed" : "denied") + " (" + first.detail() + (first == result ? "" : "; retry " + result.detail()) + ")");
        }
    }

    private static String describe(ConformanceCase.Expected expected) {
        return expected.from() + " -> " + expected.to() + " " + expected.probe();
    }

    private static void await(List<Future<?>> running) {
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
        network.close();
    }
}
