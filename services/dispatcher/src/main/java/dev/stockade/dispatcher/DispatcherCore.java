package dev.stockade.dispatcher;

import dev.stockade.replication.ReplicatedCaches;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * A dispatcher replica without its server: the Kafka loop ({@link RulesFollower}), the pool's
 * replicated state ({@link PoolState}), the agent sessions ({@link SessionHub}) and what goes back to
 * Kafka. Whatever serves the agent stream (Vert.x in {@link DispatcherReplica}, websockets-next in the
 * Quarkus service) hands each connection to {@link #hub()}.
 */
public final class DispatcherCore implements AutoCloseable {

    private final KafkaOutbound outbound;
    private final PoolState state;
    private final SessionHub hub;
    private final RulesFollower follower;
    private final ExecutorService pumps;
    private final ScheduledExecutorService sampler;
    private final DispatcherMetrics metrics;
    private final Thread loop;

    private DispatcherCore(DispatcherSettings settings, EmbeddedCacheManager member, MeterRegistry registry, Clock clock) {
        NodePools pools = new NodePools();
        this.state = new PoolState(member, settings.ringSize());
        this.metrics = new DispatcherMetrics(registry);
        this.outbound = new KafkaOutbound(settings);
        this.pumps = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemon("dispatcher-pump-" + settings.pool()));
        this.hub = new SessionHub(settings, pools, state, outbound, metrics, pumps, clock);
        Resyncs resyncs = new Resyncs(outbound, metrics, clock, settings.resyncRetry());
        this.follower = new RulesFollower(settings, pools, state, hub, resyncs, metrics);
        state.listen(hub::nodeChanged);
        ReplicatedCaches.whenMembersLeave(member, follower::evictDeparted);
        this.sampler = Executors.newSingleThreadScheduledExecutor(daemon("dispatcher-sampler-" + settings.pool()));
        sampler.scheduleAtFixedRate(hub::sampleBehind, 5, 5, TimeUnit.SECONDS);
        this.loop = daemon("dispatcher-" + settings.pool() + "-" + settings.replicaId()).newThread(follower);
    }

    /** Starts the Kafka loop; {@code member} is this replica's Infinispan member, with {@link PoolState#caches()} defined. */
    public static DispatcherCore start(DispatcherSettings settings, EmbeddedCacheManager member, MeterRegistry registry,
                                       Clock clock) {
        DispatcherCore core = new DispatcherCore(settings, member, registry, clock);
        core.loop.start();
        return core;
    }

    public SessionHub hub() {
        return hub;
    }

    public DispatcherMetrics metrics() {
        return metrics;
    }

    /** The pool's replicated state as this replica sees it (read-only use). */
    public PoolState state() {
        return state;
    }

    /** Ready: caught up with the Node records and the rules partitions assigned to it. */
    public boolean ready() {
        return follower.caughtUp();
    }

    /** Alive: the Kafka loop has not died. */
    public boolean alive() {
        return !follower.failed();
    }

    /** Closes agent connections (they reconnect elsewhere), stops the loop and the producer. */
    @Override
    public void close() {
        hub.closeAll("dispatcher replica stopping");
        follower.close();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampler.shutdownNow();
        pumps.shutdown();
        outbound.close();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
