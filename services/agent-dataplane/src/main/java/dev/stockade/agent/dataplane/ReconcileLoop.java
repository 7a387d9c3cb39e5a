package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeRuleSet;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's cache plus reconciler runner (Antrea's pod reconciler, kube-network-policies'
 * bounded-frequency runner): the newest desired state wins, bursts coalesce into one reconcile,
 * and a periodic full resync repairs drift (someone deleting or editing the table by hand).
 *
 * <p>Every reconcile is reported with the generation it realized; a report whose outcome is not
 * {@link ReconcileOutcome.Realized} must not be acknowledged upstream. A failed or refused
 * reconcile is retried (as a full resync) after {@code retryDelay}.
 *
 * <p>Threading: {@link #submit} may be called from any thread; reconciles run one at a time on
 * the executor given to {@link #start}. Tests call {@link #drain()} and {@link #resync()} directly.
 */
public final class ReconcileLoop {

    /** The outcome of reconciling to {@code desired}, the state of {@code generation}. */
    public record Report(long generation, NodeRuleSet desired, ReconcileOutcome outcome) {
    }

    private final Reconciler reconciler;
    private final Consumer<Report> reports;
    private ScheduledExecutorService executor;
    private Duration retryDelay = Duration.ofSeconds(1);
    private NodeRuleSet latest;
    private long latestGeneration;
    private boolean pending;

    public ReconcileLoop(Reconciler reconciler, Consumer<Report> reports) {
        this.reconciler = reconciler;
        this.reports = reports;
    }

    /** Runs reconciles on {@code executor}, with a full resync every {@code resyncPeriod}. */
    public synchronized void start(ScheduledExecutorService executor, Duration resyncPeriod, Duration retryDelay) {
        this.executor = executor;
        this.retryDelay = retryDelay;
        executor.scheduleWithFixedDelay(this::resync, resyncPeriod.toMillis(), resyncPeriod.toMillis(), TimeUnit.MILLISECONDS);
        if (pending) {
            executor.execute(this::drain);
        }
    }

    /** Records the newest desired state; a reconcile to it follows (coalesced with any still pending). */
    public synchronized void submit(NodeRuleSet desired, long generation) {
        latest = desired;
        latestGeneration = generation;
        if (!pending) {
            pending = true;
            if (executor != null) {
                executor.execute(this::drain);
            }
        }
    }

    /** Reconciles to the newest desired state if one is pending; returns its report (null when none). */
    public Report drain() {
        NodeRuleSet desired;
        long generation;
        synchronized (this) {
            if (!pending) {
                return null;
            }
            pending = false;
            desired = latest;
            generation = latestGeneration;
        }
        return run(desired, generation);
    }

    /** Forgets what the kernel is believed to hold and replaces the table with the newest desired state. */
    public Report resync() {
        NodeRuleSet desired;
        long generation;
        synchronized (this) {
            if (latest == null) {
                return null;
            }
            pending = false;
            desired = latest;
            generation = latestGeneration;
        }
        reconciler.forget();
        return run(desired, generation);
    }

    private Report run(NodeRuleSet desired, long generation) {
        ReconcileOutcome outcome;
        try {
            outcome = reconciler.reconcile(desired);
        } catch (RuntimeException e) {
            outcome = new ReconcileOutcome.Failed("reconcile threw " + e);
        }
        Report report = new Report(generation, desired, outcome);
        if (!outcome.realized()) {
            reconciler.forget();
            scheduleRetry();
        }
        reports.accept(report);
        return report;
    }

    private synchronized void scheduleRetry() {
        if (executor != null && !executor.isShutdown()) {
            executor.schedule(this::resync, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
