package dev.stockade.dispatcher;

import dev.stockade.events.v1.RuleSetRecord;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kafka.GroupFailover;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * The replica's Kafka loop: reads {@code stockade.resources} whole (Node records: which pool each
 * node is in) and its share of {@code stockade.rules} (consumer group {@code stockade-dispatcher-<pool>},
 * read_committed), keeps only its pool's nodes and folds their records into the {@link PoolState}.
 *
 * <p>Before a delta, the resources reader catches up to the delta's {@code sourceOffset}, so the
 * node's pool is judged as of the event that caused the delta. A delta that does not follow the
 * node's generation (a gap) or arrives without a base makes the node ask for a resync, and so does one
 * that follows but whose body does not decode or apply (a poison record: logged once, counted, not stored,
 * so the node keeps its last good rules and its agents never receive it); snapshots
 * (answers to anyone's resync) apply when not older than the node's state. A node relabelled into the
 * pool is resynced; one relabelled out is forgotten. On start with an empty pool state, the replica
 * asks for a resync of its pool's nodes. Each poll's writes go to the replicated caches as one batch,
 * and offsets are committed after it (at least once; a re-read delta is STALE and skipped).
 */
final class RulesFollower implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RulesFollower.class.getName());
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(5);

    private final DispatcherSettings settings;
    private final NodePools pools;
    private final PoolState state;
    private final SessionHub hub;
    private final Resyncs resyncs;
    private final DispatcherMetrics metrics;
    /** Node → the generation of its last rejected delta, until its snapshot: a re-read is not logged or counted again. */
    private final Map<String, Long> rejected = new HashMap<>();
    private final KafkaConsumer<String, byte[]> resources;
    private final KafkaConsumer<String, byte[]> rules;
    private final GroupFailover failover;
    private final TopicPartition resourcesPartition;
    private volatile boolean running = true;
    private volatile boolean resourcesLoaded;
    private volatile boolean caughtUp;
    private volatile boolean failed;
    /** Offset commits refused in a row (commit callbacks run on the loop's thread, inside poll). */
    private int failedCommits;
    /** Records consumed (or a commit refused) since the last offset commit was sent: the next loop commits. */
    private boolean uncommitted;
    private Map<TopicPartition, Long> catchUpTargets;
    private Batch batch;

    RulesFollower(DispatcherSettings settings, NodePools pools, PoolState state, SessionHub hub, Resyncs resyncs,
                  DispatcherMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.pools = pools;
        this.state = state;
        this.hub = hub;
        this.resyncs = resyncs;
        this.resources = new KafkaConsumer<>(KafkaClients.resourcesReader(settings));
        java.util.Properties rulesProperties = KafkaClients.rulesConsumer(settings);
        this.rules = new KafkaConsumer<>(rulesProperties);
        this.failover = new GroupFailover(settings.groupId(), rulesProperties);
        this.resourcesPartition = new TopicPartition(settings.resourcesTopic(), 0);
    }

    /** Ready: the Node records were read to their end at start, and the assigned rules partitions to theirs. */
    boolean caughtUp() {
        return resourcesLoaded && caughtUp;
    }

    boolean failed() {
        return failed;
    }

    @Override
    public void run() {
        try {
            loadResources();
            requestInitialResync();
            rules.subscribe(List.of(settings.rulesTopic()), new Rebalance());
            while (running) {
                batch = state.batch();
                followResources(Duration.ZERO);
                for (ConsumerRecord<String, byte[]> record : rules.poll(settings.pollTimeout())) {
                    handle(record);
                    uncommitted = true;
                }
                // Wake this replica's sessions now; the others hear of it through the cache listener.
                batch.commit().forEach(hub::nodeChanged);
                if (uncommitted) {
                    uncommitted = false;
                    rules.commitAsync(this::committed);
                }
                checkCaughtUp();
                resyncs.retryDue();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failed = true;
            LOG.log(Level.SEVERE, "dispatcher loop failed", e);
        } finally {
            resources.close(Duration.ofSeconds(1));
            GroupFailover.leaveAndClose(rules, Duration.ofSeconds(2));
            failover.close();
        }
    }

    /**
     * Offsets are committed after every loop that consumed records, and again after every loop
     * that follows a refused commit: a commit refused while the group
     * rebalances (the cooperative protocol keeps polling meanwhile) is made by a later loop. (An idle
     * loop commits nothing: committing every 50 ms wrote 20 offset commits a second per replica to the
     * replicated offsets topic for nothing.) Other
     * failures (the group coordinator's broker lost: a few seconds of refusals, every loop) are
     * logged once when they begin, with the reason, and once when commits succeed again.
     */
    private void committed(Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets,
                           Exception failure) {
        if (failure != null) {
            uncommitted = true;
        }
        if (failure == null) {
            if (failedCommits > 0) {
                LOG.info("offset commits succeed again, after " + failedCommits + " refused");
                failedCommits = 0;
            }
        } else if (failure instanceof org.apache.kafka.common.errors.RebalanceInProgressException) {
            LOG.fine("offset commit deferred: the group is rebalancing");
        } else if (failedCommits++ == 0) {
            LOG.warning("offset commits refused (each later loop commits again; logged once until they succeed): "
                    + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                    + (failure.getCause() != null ? " (" + failure.getCause().getMessage() + ")" : "") + ", " + offsets);
        }
    }

    /** Removes replicas that left the pool's JGroups view from the group, so their partitions move now. */
    void evictDeparted(java.util.Set<String> replicas) {
        failover.evict(replicas);
    }

    @Override
    public void close() {
        running = false;
        rules.wakeup();
        resources.wakeup();
    }

    private void loadResources() {
        resources.assign(List.of(resourcesPartition));
        resources.seekToBeginning(List.of(resourcesPartition));
        long end = resources.endOffsets(List.of(resourcesPartition)).get(resourcesPartition);
        while (running && resources.position(resourcesPartition) < end) {
            resources.poll(Duration.ofMillis(200)).forEach(record -> pools.accept(record.key(), record.value()));
        }
        resourcesLoaded = true;
    }

    private void requestInitialResync() {
        if (!state.isEmpty()) {
            return;
        }
        if (settings.pool().equals(NodePools.DEFAULT_POOL)) {
            resyncs.requestAll();
        } else {
            resyncs.request(pools.nodesIn(settings.pool()));
        }
    }

    /** Reads Node records until the resources position passes {@code offset} (or nothing more comes for a while). */
    private void catchUpTo(long offset) {
        long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
        while (running && resources.position(resourcesPartition) <= offset && System.nanoTime() < deadline) {
            long end = resources.endOffsets(List.of(resourcesPartition)).get(resourcesPartition);
            if (resources.position(resourcesPartition) >= end) {
                return;
            }
            followResources(Duration.ofMillis(50));
        }
    }

    private void followResources(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : resources.poll(timeout)) {
            pools.accept(record.key(), record.value()).ifPresent(this::poolChanged);
        }
    }

    private void poolChanged(NodePools.Change change) {
        if (change.after().equals(settings.pool())) {
            LOG.info("node " + change.node() + " joined pool " + settings.pool());
            resyncs.request(List.of(change.node()));
        } else if (change.before().equals(settings.pool())) {
            LOG.info("node " + change.node() + " left pool " + settings.pool() + " for " + change.after());
            batch.remove(change.node());
            hub.nodeLeft(change.node());
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            if (isSnapshot(record)) {
                snapshot(record);
            } else {
                delta(record);
            }
        } catch (WireFormatException | RuntimeException e) {
            LOG.warning("skipped " + record.topic() + "-" + record.partition() + "@" + record.offset() + " (node "
                    + record.key() + "): " + e.getMessage());
        }
    }

    private void delta(ConsumerRecord<String, byte[]> record) throws WireFormatException {
        DeltaHeader delta = DeltaHeader.read(record.value());
        catchUpTo(delta.sourceOffset());
        if (!pools.poolOf(delta.node()).equals(settings.pool())) {
            return;
        }
        PoolState.Outcome outcome = batch.applyDelta(delta.node(), delta.generation(), record.timestamp(), record.value());
        if (outcome.applied() == PoolState.Applied.GAP) {
            LOG.fine(() -> "gap at node " + delta.node() + " generation " + delta.generation() + "; asking for a resync");
            resyncs.request(List.of(delta.node()));
        } else if (outcome.applied() == PoolState.Applied.REJECTED) {
            rejected(record, delta, outcome.reason());
        }
    }

    /** A poison delta: logged and counted once, and the node resynced (the request de-duplicated with gaps'). */
    private void rejected(ConsumerRecord<String, byte[]> record, DeltaHeader delta, String reason) {
        Long before = rejected.put(delta.node(), delta.generation());
        if (before == null || before != delta.generation()) {
            metrics.rejectedDelta();
            LOG.warning("rejected delta of node " + delta.node() + " generation " + delta.generation() + " at "
                    + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + reason
                    + "; the node keeps its last good rules (generation " + (delta.generation() - 1)
                    + ") and is resynced");
        }
        resyncs.request(List.of(delta.node()));
    }

    private void snapshot(ConsumerRecord<String, byte[]> record) throws WireFormatException {
        RuleSetRecord snapshot = WireJson.decodeRuleSet(record.value());
        if (!pools.poolOf(snapshot.node()).equals(settings.pool())) {
            return;
        }
        batch.applySnapshot(snapshot, record.value());
        resyncs.answered(snapshot.node());
        rejected.remove(snapshot.node());
    }

    private static boolean isSnapshot(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(RulesTopic.TYPE_HEADER);
        return RulesTopic.isSnapshot(type == null ? null : type.value());
    }

    private void checkCaughtUp() {
        if (caughtUp || catchUpTargets == null) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> target : catchUpTargets.entrySet()) {
            if (rules.position(target.getKey()) < target.getValue()) {
                return;
            }
        }
        caughtUp = true;
        LOG.info(settings.replicaId() + " of pool " + settings.pool() + " caught up with " + settings.rulesTopic());
    }

    /** On each assignment, the end offsets to reach before the replica counts as caught up. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!caughtUp) {
                catchUpTargets = new HashMap<>(rules.endOffsets(rules.assignment()));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            rules.commitSync();
        }
    }
}
