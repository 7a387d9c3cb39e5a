package dev.stockade.dispatcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dispatcher replica's metrics; the Prometheus names are the dashboard's contract
 * ({@code k8s/README.md}): {@code stockade_dispatcher_agents_connected}, {@code _generations_behind}
 * (histogram, one sample per agent per ACK and per sweep), {@code _generations_behind_max},
 * {@code _nacks_total{reason}}, {@code _sends_total{type}}, {@code _propagation_seconds} (the delta's
 * Kafka record timestamp to the agent's ACK of that generation). NACK reasons are the agent's error
 * class (the text before the first ':'), one of {@link #NACK_REASONS} or {@code other}: bounded labels.
 * Beyond the contract: {@code stockade_dispatcher_delivery_seconds} (a delta stored in the pool's state →
 * its frame written to an agent's socket: the replica's own fan-out time), {@code _resumes_total},
 * {@code _resync_requests_total}, {@code _rejected_deltas_total} (poison deltas: their body does not decode or
 * apply to the node's rule set; not stored, the node resynced).
 */
public final class DispatcherMetrics {

    /** Error classes an agent puts before ':' in a NACK. */
    public static final Set<String> NACK_REASONS = Set.of("gap", "decode", "refused", "failed");

    private final MeterRegistry registry;
    private final AtomicLong connected = new AtomicLong();
    private final DistributionSummary behind;
    private final Timer propagation;
    private final Timer delivery;
    private final Counter snapshots;
    private final Counter deltas;
    private final Counter resumes;
    private final Counter resyncRequests;
    private final Counter refusedOtherNode;
    private final Counter rejectedDeltas;

    public DispatcherMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("stockade.dispatcher.agents.connected", connected, AtomicLong::get)
                .description("agents connected to this replica").register(registry);
        behind = DistributionSummary.builder("stockade.dispatcher.generations.behind")
                .description("generations an agent is behind its node's current one").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(10_000.0).register(registry);
        propagation = Timer.builder("stockade.dispatcher.propagation")
                .description("delta published to the agent's ACK").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        delivery = Timer.builder("stockade.dispatcher.delivery")
                .description("delta stored in the pool's state to its frame written to the agent's socket")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        snapshots = registry.counter("stockade.dispatcher.sends", "type", "snapshot");
        deltas = registry.counter("stockade.dispatcher.sends", "type", "delta");
        resumes = Counter.builder("stockade.dispatcher.resumes").description("hellos answered from breadcrumbs alone")
                .register(registry);
        resyncRequests = Counter.builder("stockade.dispatcher.resync.requests")
                .description("nodes asked of the compiler").register(registry);
        refusedOtherNode = Counter.builder("stockade.dispatcher.refused.other.node")
                .description("sessions closed for a hello, ACK or NACK naming a node their credential does not prove")
                .register(registry);
        rejectedDeltas = Counter.builder("stockade.dispatcher.rejected.deltas")
                .description("deltas not stored because their body does not decode or apply to the node's rule set;"
                        + " the node kept its rules and was resynced").register(registry);
    }

    void rejectedDelta() {
        rejectedDeltas.increment();
    }

    /** Poison deltas this replica rejected (each counted once). */
    public double rejectedDeltas() {
        return rejectedDeltas.count();
    }

    void refusedOtherNode() {
        refusedOtherNode.increment();
    }

    /** Sessions closed because a frame named a node their credential does not prove. */
    public double refusedOtherNodes() {
        return refusedOtherNode.count();
    }

    void connected(int delta) {
        connected.addAndGet(delta);
    }

    void behind(long generations) {
        behind.record(Math.max(0, generations));
    }

    void propagation(long millis) {
        propagation.record(Duration.ofMillis(Math.max(0, millis)));
    }

    void delivered(long millis) {
        delivery.record(Duration.ofMillis(Math.max(0, millis)));
    }

    void sent(boolean snapshot) {
        (snapshot ? snapshots : deltas).increment();
    }

    void resumed() {
        resumes.increment();
    }

    void resyncRequested(int nodes) {
        resyncRequests.increment(nodes);
    }

    void nack(String error) {
        String reason = error == null ? "other" : error.split(":", 2)[0].strip();
        registry.counter("stockade.dispatcher.nacks", "reason", NACK_REASONS.contains(reason) ? reason : "other").increment();
    }

    public long agentsConnected() {
        return connected.get();
    }

    public double snapshotsSent() {
        return snapshots.count();
    }

    public double deltasSent() {
        return deltas.count();
    }

    /** Nodes this replica asked the compiler to resync (a whole-pool request counts 1). */
    public double resyncRequests() {
        return resyncRequests.count();
    }

    /** Delta stored in the pool's state → its frame written to the agent's socket (this replica's fan-out time). */
    public Timer deliveryTimer() {
        return delivery;
    }
}
