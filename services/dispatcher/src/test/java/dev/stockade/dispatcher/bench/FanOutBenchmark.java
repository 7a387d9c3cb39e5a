package dev.stockade.dispatcher.bench;

import dev.stockade.dispatcher.BenchPipeline;
import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.PublishedDelta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan-out of one dispatcher replica to N simulated agents ({@link SimulatedAgent}: WebSocket clients
 * that ACK every frame at once), fed by a real compiler on a real broker in this JVM.
 *
 * <ol>
 *   <li>Fan-out: a pod joins the peer group of a policy that applies on every node, so every node gets
 *       a delta. By the dispatcher = the replica read the delta from Kafka (its breadcrumb's stored
 *       time) → the agent has the frame; delivery = the delta's Kafka record timestamp (the compiler's
 *       send, before its transaction commits) → the agent has the frame; end-to-end = the resource
 *       record's publication → the agent has the frame.</li>
 *   <li>Policy to enforced: a new policy applying on every node, under a background churn of pod
 *       events; latency = the policy's publication → each agent's ACK of a rule set holding it.</li>
 * </ol>
 * Run: see BENCHMARKS.md, "Dispatch fan-out". Arguments: agents (1000), changes (20), policies (10), churn/s (100).
 */
public final class FanOutBenchmark {

    /** Changes (and policies) run before measuring, for the JIT. */
    private static final int WARM_UP = 5;
    private static final Map<String, Long> ARRIVED = new ConcurrentHashMap<>();
    private static final Map<String, Long> POLICY_ACKED = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int policies = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int churnPerSecond = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        // No Quarkus application configures the log manager here, which leaves every logger at ALL:
        // the broker and the Kafka clients would format each debug and trace line for nothing.
        org.jboss.logmanager.LogContext.getSystemLogContext().getLogger("").setLevel(java.util.logging.Level.INFO);
        System.setProperty("stockade.jgroups.port", "7995");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        long wall0 = System.currentTimeMillis();
        long nano0 = System.nanoTime();
        try (BenchPipeline pipeline = new BenchPipeline("fanout-" + System.nanoTime(), 12)) {
            List<String> nodes = new ArrayList<>();
            for (int i = 1; i <= agents; i++) {
                nodes.add(String.format("node-%04d", i));
            }
            pipeline.cluster(nodes);
            DispatcherSettings settings = DispatcherSettings.defaults(pipeline.bootstrap(), "bench", "bench-1");
            // A Prometheus registry keeps the histogram buckets (a SimpleMeterRegistry does not).
            var registry = new io.micrometer.prometheus.PrometheusMeterRegistry(io.micrometer.prometheus.PrometheusConfig.DEFAULT);
            try (DispatcherReplica replica = DispatcherReplica.start(settings,
                    DispatcherReplica.Options.plaintext("fanout-" + System.nanoTime(), dev.stockade.dispatcher.NodeTokens.of(
                            nodes.stream().collect(java.util.stream.Collectors.toMap(node -> node, node -> "bench-token-" + node)))),
                    registry)) {
                List<SimulatedAgent> started = startAgents(nodes, replica.address(), wall0, nano0);
                Map<String, java.util.function.LongSupplier> generations = new java.util.HashMap<>();
                started.forEach(agent -> generations.put(agent.node(), agent::generation));
                pipeline.awaitRulesEverywhere(generations, Duration.ofSeconds(120));
                System.out.printf("setup: %d agents connected and converged in %d s%n", agents,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nano0));
                fanOut(pipeline, nodes, changes, replica);
                policyToEnforced(pipeline, nodes, policies, churnPerSecond);
                System.out.printf("dispatcher: %.0f snapshots, %.0f deltas sent%n", replica.metrics().snapshotsSent(),
                        replica.metrics().deltasSent());
                started.forEach(SimulatedAgent::close);
            }
        }
        System.exit(0);
    }

    private static List<SimulatedAgent> startAgents(List<String> nodes, String address, long wall0, long nano0)
            throws Exception {
        SimulatedAgent.Events events = (node, generation, frame, nanos) -> {
            long wallNanos = wall0 * 1_000_000 + (nanos - nano0);
            ARRIVED.put(node + "@" + generation, wallNanos);
            int at = frame.indexOf("\"name\":\"allow-");
            while (at >= 0) {
                int end = frame.indexOf('"', at + 8);
                POLICY_ACKED.putIfAbsent(node + "/" + frame.substring(at + 8, end), wallNanos);
                at = frame.indexOf("\"name\":\"allow-", end);
            }
        };
        List<CompletableFuture<SimulatedAgent>> connecting = new ArrayList<>();
        for (String node : nodes) {
            connecting.add(SimulatedAgent.connect(node, address, "bench-token-" + node, events));
        }
        List<SimulatedAgent> started = new ArrayList<>();
        for (CompletableFuture<SimulatedAgent> agent : connecting) {
            started.add(agent.get(60, TimeUnit.SECONDS));
        }
        return started;
    }

    /**
     * Changes that touch every node: a client pod joins the peers of the policy every node enforces.
     * The first {@value #WARM_UP} changes warm the JIT and are not counted.
     */
    private static void fanOut(BenchPipeline pipeline, List<String> nodes, int changes, DispatcherReplica replica)
            throws Exception {
        Latencies byDispatcher = new Latencies();
        Latencies delivery = new Latencies();
        Latencies endToEnd = new Latencies();
        io.micrometer.core.instrument.distribution.CountAtBucket[] before = null;
        for (int k = 1 - WARM_UP; k <= changes; k++) {
            if (k == 1) {
                before = replica.metrics().deliveryTimer().takeSnapshot().histogramCounts();
            }
            Map<String, Long> previous = pipeline.latestGenerations(nodes);
            long published = System.currentTimeMillis();
            pipeline.pod("bench", "client-" + (k + WARM_UP), "{\"role\":\"client\"}",
                    nodes.get((k + WARM_UP) % nodes.size()), "10.1.0." + (k + WARM_UP));
            pipeline.flush();
            Map<String, PublishedDelta> deltas = pipeline.awaitDeltas(nodes, previous, Duration.ofSeconds(30));
            awaitArrivals(deltas, Duration.ofSeconds(30));
            for (PublishedDelta delta : k < 1 ? List.<PublishedDelta>of() : deltas.values()) {
                double arrived = ARRIVED.get(delta.node() + "@" + delta.generation()) / 1e6;
                replica.state().crumb(delta.node(), delta.generation())
                        .ifPresent(crumb -> byDispatcher.add(arrived - crumb.storedAtMillis()));
                delivery.add(arrived - delta.timestampMillis());
                endToEnd.add(arrived - published);
            }
            Thread.sleep(500);
        }
        System.out.println("fan-out in the dispatcher (delta stored -> frame on the agent's socket): "
                + BucketPercentiles.between(before, replica.metrics().deliveryTimer().takeSnapshot().histogramCounts()));
        System.out.println("fan-out by the dispatcher (delta read from Kafka -> agent has it): " + byDispatcher.summary());
        System.out.println("fan-out delivery (delta record timestamp -> agent has it): " + delivery.summary());
        System.out.println("fan-out end to end (resource record published -> agent has it): " + endToEnd.summary());
    }

    private static void awaitArrivals(Map<String, PublishedDelta> deltas, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (PublishedDelta delta : deltas.values()) {
            while (!ARRIVED.containsKey(delta.node() + "@" + delta.generation())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + delta.node() + " never got generation " + delta.generation());
                }
                Thread.sleep(2);
            }
        }
    }

    /** New policies on every node under pod churn: publication → every agent's ACK of a rule set holding it. */
    private static void policyToEnforced(BenchPipeline pipeline, List<String> nodes, int policies, int churnPerSecond)
            throws Exception {
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicLong churned = new AtomicLong();
        Thread churn = new Thread(() -> churn(pipeline, nodes, churnPerSecond, churning, churned), "churn");
        churn.setDaemon(true);
        churn.start();
        Thread.sleep(2000);
        Latencies perAgent = new Latencies();
        Latencies allAgents = new Latencies();
        long churnStart = System.nanoTime();
        long churnedBefore = churned.get();
        for (int k = 1 - WARM_UP; k <= policies; k++) {
            String name = "allow-" + (k + WARM_UP);
            long published = System.currentTimeMillis();
            pipeline.policy("bench", name, 8000 + k + WARM_UP);
            double slowest = awaitPolicy(nodes, name, published, k < 1 ? new Latencies() : perAgent);
            if (k >= 1) {
                allAgents.add(slowest);
            }
            Thread.sleep(1000);
        }
        double rate = (churned.get() - churnedBefore) / ((System.nanoTime() - churnStart) / 1e9);
        churning.set(false);
        System.out.printf("policy -> every agent ACKed, per agent (churn %.0f pod events/s): %s%n", rate, perAgent.summary());
        System.out.println("policy -> the last of all agents ACKed, per policy: " + allAgents.summary());
    }

    private static double awaitPolicy(List<String> nodes, String name, long published, Latencies perAgent)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double slowest = 0;
        for (String node : nodes) {
            Long acked;
            while ((acked = POLICY_ACKED.get(node + "/" + name)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + node + " never enforced " + name);
                }
                Thread.sleep(2);
            }
            double latency = acked / 1e6 - published;
            perAgent.add(latency);
            slowest = Math.max(slowest, latency);
        }
        return slowest;
    }

    /** Pod events at a steady rate: churn pods (app=web) created on random nodes, later deleted. */
    private static void churn(BenchPipeline pipeline, List<String> nodes, int perSecond, AtomicBoolean running,
                              AtomicLong count) {
        Random random = new Random(42);
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long next = System.nanoTime();

        while (running.get()) {
            int i = (int) (count.get() / 2 % 200);
            if (count.get() % 2 == 0) {
                pipeline.pod("bench", "churn-" + i, "{\"app\":\"web\"}", nodes.get(random.nextInt(nodes.size())),
                        "10.2." + (i / 250) + "." + (i % 250 + 1));
            } else {
                pipeline.deletePod("bench", "churn-" + i);
            }
            pipeline.flush();
            count.incrementAndGet();
            next += interval;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(sleep);
            }
        }
    }
}
