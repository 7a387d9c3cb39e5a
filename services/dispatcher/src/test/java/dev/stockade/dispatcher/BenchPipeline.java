package dev.stockade.dispatcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's cluster on a {@link Pipeline}: namespace {@code bench}, one {@code app=web} pod per
 * node, a policy on them admitting {@code role=client} on 80 (so every node enforces it); each
 * node's latest delta and its record timestamp come from the {@link Pipeline}'s reader.
 */
public final class BenchPipeline implements AutoCloseable {

    private final Pipeline pipeline;

    public BenchPipeline(String clusterPrefix, int rulesPartitions) {
        pipeline = new Pipeline(clusterPrefix, rulesPartitions);
    }

    public String bootstrap() {
        return pipeline.bootstrap();
    }

    /** Namespace, nodes (pool {@code bench}), one web pod per node, and the base policy. */
    public void cluster(List<String> nodes) {
        pipeline.upsert("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"bench\",\"labels\":{\"ns\":\"bench\"}}}");
        for (int i = 0; i < nodes.size(); i++) {
            pipeline.node(nodes.get(i), "bench");
            pipeline.pod("bench", "web-" + i, "{\"app\":\"web\"}", nodes.get(i), "10.0." + (i / 250) + "." + (i % 250 + 1));
        }
        policy("bench", "base", 80);
    }

    public void pod(String namespace, String name, String labels, String node, String ip) {
        pipeline.pod(namespace, name, labels, node, ip);
    }

    public void deletePod(String namespace, String name) {
        pipeline.delete(Pipeline.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod")
                .set("metadata", Pipeline.JSON.createObjectNode().put("name", name).put("namespace", namespace)));
    }

    /** A NetworkPolicy on the web pods admitting role=client on one port; flushed. */
    public void policy(String namespace, String name, int port) {
        pipeline.upsert("{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\"},\"spec\":{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}},"
                + "\"ingress\":[{\"from\":[{\"podSelector\":{\"matchLabels\":{\"role\":\"client\"}}}],\"ports\":[{\"port\":"
                + port + "}]}]}}");
        pipeline.flush();
    }

    public void flush() {
        pipeline.flush();
    }

    /** Waits until every node's agent holds its current generation (node → the agent's generation). */
    public void awaitRulesEverywhere(Map<String, java.util.function.LongSupplier> agents, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Map.Entry<String, java.util.function.LongSupplier> agent : agents.entrySet()) {
            while (agent.getValue().getAsLong() == 0 || agent.getValue().getAsLong() < pipeline.generation(agent.getKey())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("an agent did not converge: " + agent.getKey());
                }
                Thread.sleep(10);
            }
        }
    }

    /** Each node's latest delta generation read so far (0 when none): what {@link #awaitDeltas} waits to pass. */
    public Map<String, Long> latestGenerations(List<String> nodes) {
        Map<String, Long> generations = new HashMap<>();
        nodes.forEach(node -> generations.put(node, pipeline.generation(node)));
        return generations;
    }

    /** Once every node has a delta newer than {@code before} (see {@link #latestGenerations}): those deltas. */
    public Map<String, PublishedDelta> awaitDeltas(List<String> nodes, Map<String, Long> before, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, PublishedDelta> found = new HashMap<>();
        for (String node : nodes) {
            PublishedDelta delta;
            while ((delta = pipeline.latest(node).orElse(null)) == null || delta.generation() <= before.get(node)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no delta of node " + node + " after generation " + before.get(node));
                }
                Thread.sleep(2);
            }
            found.put(node, delta);
        }
        return found;
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
