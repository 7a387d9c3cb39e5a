package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The listener's flow: source events, leadership and publishing, serialized on one worker thread
 * so that a reconcile and live events never interleave.
 *
 * <p>Rules: only the leader publishes, and only after it has reconciled. A reconcile runs when
 * this replica leads AND its source has listed everything once (comparing the topic with a
 * half-listed cluster would tombstone what was not listed yet). Events that arrive before the
 * reconcile are not published: the reconcile reads the source's state after them. Every
 * {@code retryEvery} the worker repeats failed sends and records a heartbeat (liveness).
 *
 * <p>A term of leadership begins with a new transactional producer ({@link ResourcePublisher#begin()}),
 * which fences the previous leader's, before the reconcile reads the topic. Sends go into a
 * transaction that a commit step queued behind them on the worker commits, so the events queued
 * together share one transaction. A commit that finds this replica fenced (a newer leader began)
 * ends its publishing at once and tells the leadership ({@link #onFenced}).
 */
public final class ListenerPipeline implements SourceListener, Leadership.Callbacks, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ListenerPipeline.class);

    private final ClusterSource source;
    private final ResourcePublisher publisher;
    private final TopicReader topic;
    private final ListenerMetrics metrics;
    private final Clock clock;
    private final Duration retryEvery;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stockade-listener-worker");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean leading;
    private volatile boolean reconciled;
    private volatile Runnable onFenced = () -> { };
    private boolean commitQueued;
    private volatile long heartbeatMillis;

    public ListenerPipeline(ClusterSource source, ResourcePublisher publisher, TopicReader topic,
                            ListenerMetrics metrics, Clock clock, Duration retryEvery) {
        this.source = source;
        this.publisher = publisher;
        this.topic = topic;
        this.metrics = metrics;
        this.clock = clock;
        this.retryEvery = retryEvery;
        this.heartbeatMillis = clock.millis();
    }

    /** Starts the source and the retry/heartbeat loop; leadership is started by the caller. */
    public void start() {
        worker.scheduleWithFixedDelay(this::retryAndBeat, retryEvery.toMillis(), retryEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        source.start(this);
    }

    @Override
    public void upsert(JsonNode object) {
        submit(() -> {
            if (publishing()) {
                publisher.upsert(object);
            }
        });
    }

    @Override
    public void delete(ResourceKey key) {
        submit(() -> {
            if (publishing()) {
                publisher.delete(key);
            }
        });
    }

    @Override
    public void initialListDone() {
        submit(this::reconcileIfDue);
    }

    @Override
    public void startedLeading() {
        LOG.info("leading: reconciling the resources topic with the cluster, then publishing");
        leading = true;
        metrics.leader(true);
        submit(this::reconcileIfDue);
    }

    @Override
    public void stoppedLeading() {
        LOG.info("not leading: publishing stopped");
        leading = false;
        reconciled = false;
        metrics.leader(false);
        submit(publisher::forget);
    }

    /** What to do when this replica finds itself fenced by a newer leader (leave the leadership). */
    public void onFenced(Runnable action) {
        this.onFenced = action;
    }

    /** This replica leads and has reconciled: live events are published. */
    public boolean publishing() {
        return leading && reconciled;
    }

    /** Ready: the source has listed the cluster, no send waits for a retry, and a leader has reconciled. */
    public boolean ready() {
        return source.synced() && publisher.healthy() && (!leading || reconciled);
    }

    /** Milliseconds since the worker last completed a loop (it is stuck when this grows). */
    public long millisSinceHeartbeat() {
        return clock.millis() - heartbeatMillis;
    }

    public ResourcePublisher publisher() {
        return publisher;
    }

    public ClusterSource source() {
        return source;
    }

    /** Stops the source and the worker, after publishing what was already queued. */
    @Override
    public void close() {
        source.close();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.flush();
        publisher.forget();
    }

    private void reconcileIfDue() {
        if (!leading || reconciled || !source.synced()) {
            return;
        }
        try {
            long beginning = System.nanoTime();
            if (!publisher.begun()) {
                publisher.begin();
                LOG.infof("began the term's producer (fencing any earlier leader's) in %d ms",
                        (System.nanoTime() - beginning) / 1_000_000);
            }
            reconciled = reconcile();
        } catch (RuntimeException e) {
            LOG.errorf("reconcile failed, retrying in %s: %s", retryEvery, e.getMessage());
            worker.schedule(this::reconcileIfDue, retryEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Makes the topic equal the source: tombstones for vanished keys, objects that differ; false when fenced meanwhile. */
    private boolean reconcile() {
        long started = System.nanoTime();
        Map<ResourceKey, Fingerprint> onTopic = topic.read();
        long read = System.nanoTime();
        ReconcilePlan plan = ReconcilePlan.between(onTopic, source.current());
        publisher.seed(onTopic);
        plan.tombstones().forEach(publisher::delete);
        plan.upserts().forEach(publisher::upsert);
        ResourcePublisher.Commit committed = publisher.flush();
        if (committed == ResourcePublisher.Commit.FENCED) {
            fenced();
            return false;
        }
        if (committed == ResourcePublisher.Commit.LOST) {
            throw new IllegalStateException("the reconcile's transaction was lost");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        metrics.reconciled(took, plan.upserts().size(), plan.tombstones().size());
        LOG.infof("reconciled %d keys on the topic with the cluster in %d ms (topic read in %d ms): %d upserts,"
                + " %d tombstones", onTopic.size(), took.toMillis(), (read - started) / 1_000_000, plan.upserts().size(),
                plan.tombstones().size());
        return true;
    }

    private void retryAndBeat() {
        if (publishing()) {
            int retried = publisher.retryFailed();
            if (retried > 0) {
                LOG.infof("retried %d failed sends", retried);
            }
            commit();
        }
        heartbeatMillis = clock.millis();
    }

    /** Commits the open transaction (queued behind the events that opened it). */
    private void commit() {
        commitQueued = false;
        ResourcePublisher.Commit committed = publisher.commit();
        if (committed == ResourcePublisher.Commit.FENCED) {
            fenced();
        } else if (committed == ResourcePublisher.Commit.LOST && leading) {
            // a new producer and a reconcile: the reconcile republishes whatever the lost transaction held
            reconciled = false;
            publisher.forget();
            worker.schedule(this::reconcileIfDue, retryEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A newer leader began a term: stop publishing now, leave the leadership. */
    private void fenced() {
        if (!leading && !reconciled) {
            return;
        }
        LOG.warn("fenced: another listener replica began a newer term; publishing stopped, leaving the leadership");
        leading = false;
        reconciled = false;
        metrics.leader(false);
        publisher.forget();
        onFenced.run();
    }

    private void submit(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                    if (publisher.begun() && !commitQueued) {
                        commitQueued = true;
                        worker.execute(this::commit);
                    }
                } catch (RejectedExecutionException e) {
                    // closing: close() commits what is open
                } catch (RuntimeException e) {
                    LOG.errorf(e, "listener step failed");
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: events after close are not published (the next leader reconciles)
        }
    }
}
