package dev.stockade.agent;

import dev.stockade.agent.dataplane.ReconcileLoop;
import dev.stockade.agent.dataplane.ReconcileOutcome;
import dev.stockade.agent.dataplane.Reconciler;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One node's agent in plain Java: a stream to any dispatcher of its pool, the desired rule set (the
 * fold of a snapshot and the deltas after it, generations checked), a {@link Reconciler} bringing
 * the node in step, and an ACK (or NACK with the error) per reconciled generation.
 *
 * <p>Fail closed: losing the dispatcher never touches the rules — the last applied rule set stays
 * enforced (and is reconciled again periodically) until a newer one arrives. With a state directory
 * the applied rule set survives restarts: a restarted agent enforces it at once and says hello with
 * its generation, so the dispatcher resumes with deltas. After a failure the agent reconnects to the
 * next address with exponential backoff and jitter.
 *
 * <p>Enforcing ({@link #enforcing()}, what readiness and the node taint wait for): the kernel holds,
 * verified, a rule set the agent trusts. Trusted are a rule set the dispatcher sent on this run and,
 * at start, the kept rule set only when the kernel still holds exactly its table (an agent restart:
 * the node was protected by it all along; the table is adopted, not re-created). A kept rule set
 * whose table is gone (a reboot or a wiped table) is enforced at once, but not trusted: the pods it
 * names may have changed while the node was down, so the agent says hello with generation 0, which
 * makes the dispatcher send a snapshot, and is enforcing once that is realized. With nothing kept it
 * is enforcing once the dispatcher's first rule set is realized.
 *
 * <p>Threading: frames, reconciles and reconnects run one at a time on the agent's own thread.
 */
public final class AgentNode implements AutoCloseable {

    /** Notified of frames received and ACKs sent (benchmarks); times are {@link System#nanoTime()}. */
    public interface Observer {
        Observer NONE = new Observer() { };

        default void received(String type, long generation, long nanos) {
        }

        default void acked(long generation, NodeRuleSet applied, long nanos) {
        }
    }

    private static final Logger LOG = Logger.getLogger(AgentNode.class.getName());

    private final AgentSettings settings;
    private final Reconciler reconciler;
    private final ReconcileLoop loop;
    private final AppliedStateStore store;
    private final Observer observer;
    private final Backoff backoff;
    private final ScheduledExecutorService executor;
    private final DesiredState desired;
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong deltas = new AtomicLong();
    private volatile NodeRuleSet applied;
    private volatile long appliedGeneration;
    private volatile StreamConnection connection;
    private volatile boolean closing;
    private volatile boolean pausedReading;
    private final java.util.concurrent.CompletableFuture<Long> enforcing = new java.util.concurrent.CompletableFuture<>();
    /** A rule set from the dispatcher was handed to the loop: every later report realizes one (agent thread). */
    private boolean dispatched;
    /** The kept rule set was not found in the kernel: ask the dispatcher for a snapshot (hello 0). */
    private boolean keptUntrusted;
    private int attempt;
    private int next;

    private AgentNode(AgentSettings settings, Reconciler reconciler, MeterRegistry registry, Observer observer) {
        this.settings = settings;
        this.reconciler = reconciler;
        this.loop = new ReconcileLoop(new TimedReconciler(reconciler, Timer.builder("stockade.agent.apply")
                .description("one reconcile of the node's rules").publishPercentileHistogram().register(registry)),
                this::reported);
        this.store = new AppliedStateStore(settings.stateDir());
        this.observer = observer;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), Math::random);
        ScheduledThreadPoolExecutor single = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "agent-" + settings.node());
            thread.setDaemon(true);
            return thread;
        });
        single.setRemoveOnCancelPolicy(true);
        this.executor = single;
        this.desired = new DesiredState(NodeRuleSet.empty(settings.node()), 0);
        this.applied = NodeRuleSet.empty(settings.node());
        this.next = (int) (Math.random() * settings.dispatchers().size());
        registry.gauge("stockade.agent.applied.generation", this, agent -> agent.appliedGeneration);
    }

    /** Starts an agent without metrics. */
    public static AgentNode start(AgentSettings settings, Reconciler reconciler) {
        return start(settings, reconciler, new CompositeMeterRegistry(), Observer.NONE);
    }

    /** Enforces the kept rule set (if any) at once, then connects. */
    public static AgentNode start(AgentSettings settings, Reconciler reconciler, MeterRegistry registry, Observer observer) {
        AgentNode agent = new AgentNode(settings, reconciler, registry, observer);
        agent.restore();
        agent.loop.start(agent.executor, settings.resyncPeriod(), settings.retryDelay());
        agent.executor.execute(agent::connect);
        return agent;
    }

    /** The rule set the node enforces now (the last one reconciled successfully). */
    public NodeRuleSet ruleSet() {
        return applied;
    }

    /** The generation of {@link #ruleSet()}; 0 when nothing was applied yet. */
    public long appliedGeneration() {
        return appliedGeneration;
    }

    /**
     * Completes (with the generation) once the kernel enforces a rule set this agent trusts: the
     * dispatcher's, realized on this run, or the kept one found still in force at start. It never
     * reverts: losing the dispatcher later does not unprotect the node (fail closed).
     */
    public java.util.concurrent.CompletionStage<Long> enforcingFuture() {
        return enforcing.minimalCompletionStage();
    }

    /** Whether {@link #enforcingFuture()} has completed. */
    public boolean enforcing() {
        return enforcing.isDone();
    }

    public boolean connected() {
        return connection != null;
    }

    /** Snapshots received since start. */
    public long snapshotsReceived() {
        return snapshots.get();
    }

    /** Deltas received since start. */
    public long deltasReceived() {
        return deltas.get();
    }

    /** Stops reading the stream (the dispatcher's frames back up), or resumes it; for tests of slow agents. */
    public void pauseReading(boolean pause) {
        pausedReading = pause;
        StreamConnection current = connection;
        if (current != null) {
            current.pauseReading(pause);
        }
    }

    /** Disconnects and stops; the node keeps enforcing what it applied (nothing is removed). */
    @Override
    public void close() {
        closing = true;
        StreamConnection current = connection;
        if (current != null) {
            current.close();
        }
        executor.shutdownNow();
    }

    /** The kept rule set: adopted when the kernel still holds its table, else enforced at once but not trusted. */
    private void restore() {
        store.load().filter(kept -> kept.node().equals(settings.node())).ifPresentOrElse(kept -> {
            try {
                desired.applySnapshot(kept);
            } catch (DesiredState.Rejected e) {
                LOG.warning("node " + settings.node() + ": kept rules do not decode (" + e.getMessage() + "); starting empty");
                return;
            }
            if (adopted(desired.ruleSet())) {
                applied = desired.ruleSet();
                appliedGeneration = desired.generation();
                enforcing.complete(appliedGeneration);
                LOG.info("node " + settings.node() + ": the kernel still enforces the kept rules of generation "
                        + kept.generation() + "; resuming on that table");
            } else {
                keptUntrusted = true;
                LOG.warning("node " + settings.node() + ": the kernel does not hold the kept rules of generation "
                        + kept.generation() + " (a reboot or a wiped table): enforcing them at once, not ready until"
                        + " the dispatcher's snapshot is applied");
            }
            loop.submit(desired.ruleSet(), desired.generation());
        }, () -> LOG.info("node " + settings.node() + ": no kept rules; not ready until the dispatcher's rule set is applied"));
    }

    /** Whether the reconciler finds the kept rule set in force; a failure to tell counts as no. */
    private boolean adopted(NodeRuleSet kept) {
        try {
            return reconciler.adopt(kept);
        } catch (RuntimeException e) {
            LOG.warning("node " + settings.node() + ": cannot tell whether the kept rules are in force (" + e + ")");
            return false;
        }
    }

    /** The generation to resume from: 0 (send a snapshot) while only an untrusted kept rule set is held. */
    private long helloGeneration() {
        return keptUntrusted && !dispatched ? 0 : desired.generation();
    }

    private void connect() {
        if (closing) {
            return;
        }
        java.net.URI target = settings.dispatchers().get(next % settings.dispatchers().size());
        StreamConnection.open(target, settings.token(), settings.tls(), new Handler()).whenComplete((opened, failure) -> {
            if (failure != null) {
                LOG.fine(() -> "node " + settings.node() + ": cannot connect to " + target + ": " + failure.getMessage());
                executor.execute(this::reconnectLater);
            } else {
                executor.execute(() -> connected(opened));
            }
        });
    }

    private void connected(StreamConnection opened) {
        if (closing) {
            opened.close();
            return;
        }
        attempt = 0;
        connection = opened;
        opened.pauseReading(pausedReading);
        opened.send(text(AgentStreamMessage.hello(settings.node(), helloGeneration())));
        if (appliedGeneration > 0) {
            opened.send(text(AgentStreamMessage.ack(settings.node(), appliedGeneration)));
        }
    }

    private void reconnectLater() {
        connection = null;
        if (closing) {
            return;
        }
        next++;
        long delay = backoff.delay(++attempt).toMillis();
        try {
            executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private void frame(String text) {
        AgentStreamMessage message;
        try {
            message = WireJson.decodeAgentMessage(text.getBytes(StandardCharsets.UTF_8));
        } catch (WireFormatException e) {
            nack(desired.generation() + 1, "decode: " + e.getMessage());
            return;
        }
        observer.received(message.type(), message.generation() == null ? -1 : message.generation(), System.nanoTime());
        try {
            if (AgentStreamMessage.SNAPSHOT.equals(message.type()) && message.snapshot() != null) {
                snapshots.incrementAndGet();
                desired.applySnapshot(message.snapshot());
            } else if (AgentStreamMessage.DELTA.equals(message.type()) && message.delta() != null) {
                deltas.incrementAndGet();
                desired.applyDelta(message.delta());
            } else {
                return;
            }
            dispatched = true;
            loop.submit(desired.ruleSet(), desired.generation());
        } catch (DesiredState.Rejected e) {
            nack(message.generation() == null ? desired.generation() + 1 : message.generation(), e.getMessage());
        }
    }

    /** A reconcile finished: ACK (and keep) what was applied, or NACK with the reason. */
    private void reported(ReconcileLoop.Report report) {
        if (report.outcome() instanceof ReconcileOutcome.Realized) {
            applied = report.desired();
            appliedGeneration = report.generation();
            store.save(applied, appliedGeneration);
            if (dispatched && enforcing.complete(appliedGeneration)) {
                LOG.info("node " + settings.node() + ": enforcing the dispatcher's rules of generation " + appliedGeneration);
            }
            send(AgentStreamMessage.ack(settings.node(), report.generation()));
            observer.acked(report.generation(), applied, System.nanoTime());
        } else if (report.outcome() instanceof ReconcileOutcome.Refused refused) {
            nack(report.generation(), "refused: " + refused.reason());
        } else if (report.outcome() instanceof ReconcileOutcome.Failed failed) {
            nack(report.generation(), "failed: " + failed.reason());
        }
    }

    private void nack(long generation, String error) {
        LOG.warning("node " + settings.node() + ": generation " + generation + " not applied: " + error);
        send(AgentStreamMessage.nack(settings.node(), generation, error));
    }

    private void send(AgentStreamMessage message) {
        StreamConnection current = connection;
        if (current != null) {
            current.send(text(message));
        }
    }

    private static String text(AgentStreamMessage message) {
        return new String(WireJson.encode(message), StandardCharsets.UTF_8);
    }

    /** Stream events, handed to the agent's thread. */
    private final class Handler implements StreamConnection.Handler {
        @Override
        public void frame(String text) {
            executeOrDrop(() -> AgentNode.this.frame(text));
        }

        @Override
        public void closed(String why) {
            LOG.fine(() -> "node " + settings.node() + ": stream " + why);
            executeOrDrop(AgentNode.this::reconnectLater);
        }

        private void executeOrDrop(Runnable task) {
            try {
                executor.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the agent stopped
            }
        }
    }
}
