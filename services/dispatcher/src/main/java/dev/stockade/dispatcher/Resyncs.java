package dev.stockade.dispatcher;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resync requests of one replica: a node is asked for once and stays pending until its snapshot
 * arrives; a request unanswered for {@code retry} is asked again. This keeps a burst of deltas
 * without a base (a restart with an empty cache) to one request per node.
 */
final class Resyncs {

    private final KafkaOutbound outbound;
    private final DispatcherMetrics metrics;
    private final Clock clock;
    private final long retryMillis;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();

    Resyncs(KafkaOutbound outbound, DispatcherMetrics metrics, Clock clock, java.time.Duration retry) {
        this.outbound = outbound;
        this.metrics = metrics;
        this.clock = clock;
        this.retryMillis = retry.toMillis();
    }

    /** Asks for these nodes' snapshots, except those already pending. */
    void request(Collection<String> nodes) {
        long now = clock.millis();
        List<String> asked = new ArrayList<>();
        for (String node : nodes) {
            if (pending.putIfAbsent(node, now) == null) {
                asked.add(node);
            }
        }
        send(asked);
    }

    /** Asks for every node's snapshot (the default pool cannot list its unlabelled nodes). */
    void requestAll() {
        outbound.resync(List.of());
        metrics.resyncRequested(1);
    }

    /** The node's snapshot arrived. */
    void answered(String node) {
        pending.remove(node);
    }

    /** Asks again for nodes pending longer than the retry period. */
    void retryDue() {
        long now = clock.millis();
        List<String> due = new ArrayList<>();
        pending.forEach((node, since) -> {
            if (now - since >= retryMillis) {
                due.add(node);
            }
        });
        due.forEach(node -> pending.put(node, now));
        send(due);
    }

    private void send(List<String> nodes) {
        if (!nodes.isEmpty()) {
            outbound.resync(nodes);
            metrics.resyncRequested(nodes.size());
        }
    }
}
