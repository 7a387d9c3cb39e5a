package dev.stockade.listener;

import dev.stockade.core.model.ResourceKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The listener's meters (Prometheus names in brackets):
 * <ul>
 *   <li>records published, by kind and op {@code upsert|tombstone}
 *       [{@code stockade_listener_events_published_total}] — counted when the broker acknowledged;</li>
 *   <li>objects not republished because their trimmed content did not change
 *       [{@code stockade_listener_events_unchanged_total}];</li>
 *   <li>failed sends (each is retried) [{@code stockade_listener_send_failures_total}];</li>
 *   <li>sends waiting for a retry [{@code stockade_listener_sends_pending_retry}];</li>
 *   <li>reconcile duration and what it changed [{@code stockade_listener_reconcile_seconds},
 *       {@code stockade_listener_reconcile_changes_total} by op];</li>
 *   <li>whether this replica leads [{@code stockade_listener_leader}] (1 or 0).</li>
 * </ul>
 */
public final class ListenerMetrics {

    private final MeterRegistry registry;
    private final Map<ResourceKind, Counter> upserts = new EnumMap<>(ResourceKind.class);
    private final Map<ResourceKind, Counter> tombstones = new EnumMap<>(ResourceKind.class);
    private final Counter unchanged;
    private final Counter sendFailures;
    private final Timer reconcile;
    private final Counter reconcileUpserts;
    private final Counter reconcileTombstones;
    private final AtomicInteger leader = new AtomicInteger();

    public ListenerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ResourceKind kind : ResourceKind.values()) {
            upserts.put(kind, published(kind, "upsert"));
            tombstones.put(kind, published(kind, "tombstone"));
        }
        unchanged = Counter.builder("stockade.listener.events.unchanged")
                .description("Objects not republished: same trimmed content as last published").register(registry);
        sendFailures = Counter.builder("stockade.listener.send.failures")
                .description("Sends to Kafka that failed (each is retried)").register(registry);
        reconcile = Timer.builder("stockade.listener.reconcile")
                .description("Time to reconcile the resources topic with the cluster on becoming leader")
                .publishPercentileHistogram().register(registry);
        reconcileUpserts = reconcileChanges("upsert");
        reconcileTombstones = reconcileChanges("tombstone");
        Gauge.builder("stockade.listener.leader", leader, AtomicInteger::get)
                .description("1 while this replica is the leader and publishes").register(registry);
    }

    private Counter published(ResourceKind kind, String op) {
        return Counter.builder("stockade.listener.events.published").tag("kind", kind.displayName()).tag("op", op)
                .description("Records acknowledged by Kafka on the resources topic").register(registry);
    }

    private Counter reconcileChanges(String op) {
        return Counter.builder("stockade.listener.reconcile.changes").tag("op", op)
                .description("Records a reconcile published because the topic differed from the cluster")
                .register(registry);
    }

    void published(ResourceKind kind, boolean tombstone) {
        (tombstone ? tombstones : upserts).get(kind).increment();
    }

    void unchanged() {
        unchanged.increment();
    }

    void sendFailed() {
        sendFailures.increment();
    }

    void reconciled(Duration took, int upserted, int tombstoned) {
        reconcile.record(took);
        reconcileUpserts.increment(upserted);
        reconcileTombstones.increment(tombstoned);
    }

    void leader(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    /** Registers the gauge of sends waiting for a retry. */
    void pendingRetries(Supplier<Number> pending) {
        Gauge.builder("stockade.listener.sends.pending.retry", pending)
                .description("Records whose send failed and waits for a retry").register(registry);
    }
}
