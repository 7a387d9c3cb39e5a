package dev.stockade.compiler;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.EventType;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.model.ResourceKind;
import dev.stockade.events.v1.ControlRecord;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.RuleJsonWriter;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kafka.GroupFailover;
import dev.stockade.kube.ResourceRecordDecoder;
import dev.stockade.replication.ReplicatedCaches;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * One compiler replica: consumes {@code stockade.resources}, applies each record through the core
 * engine, and publishes per-node deltas, status records and dead letters.
 *
 * <p>One active replica: the replicas share a consumer group on the single-partition resources
 * topic, so Kafka assigns the partition to exactly one of them; the others idle as standbys. On
 * assignment a replica takes over from the replicated state (no replay): it claims ownership,
 * rebuilds the engine from the objects in force and the nodes' generations, fences the previous
 * active's producer (shared transactional id), re-sends the last batch's outputs if their
 * transaction never committed, and resumes after the checkpoint.
 *
 * <p>Exactly-once in effect, per batch: (1) apply the records, (2) write the state changes and a
 * checkpoint holding the batch's outputs in one Infinispan transaction, (3) send the outputs and
 * the input offset in one Kafka transaction. A crash before (2) leaves state and offsets at the
 * previous batch; between (2) and (3) the next active finds the checkpoint ahead of the committed
 * offset and sends the same outputs again. Consumers of the outputs read committed. Steps (2) and
 * (3) run on the {@link BatchCommitter}'s thread while this loop does (1) for the next batch.
 */
public final class CompilerLoop implements Runnable, AutoCloseable {

    /** What the replica is doing. */
    public enum Role { STARTING, STANDBY, ACTIVE, STOPPED, FAILED }

    private static final Logger LOG = Logger.getLogger(CompilerLoop.class.getName());

    private final CompilerSettings settings;
    private final ReplicatedState state;
    private final CompilerMetrics metrics;
    private final Clock clock;
    private final ResourceRecordDecoder decoder = new ResourceRecordDecoder();
    private final KafkaConsumer<String, byte[]> consumer;
    private final GroupFailover failover;
    private final TopicPartition partition;
    private final TopicPartition control;
    private final OutputSender sender;
    private final BatchCommitter committer;
    private volatile boolean running = true;
    private volatile Role role = Role.STARTING;
    private volatile java.util.concurrent.CountDownLatch stallBeforeCommit;
    private volatile boolean stalled;
    private Engine engine;
    private String ownerToken;
    private volatile boolean rehearsed;
    /** A batch's Kafka transaction failed: take over again after the next poll. */
    private boolean retakeAfterPoll;

    public CompilerLoop(CompilerSettings settings, org.infinispan.Cache<String, Object> stateCache,
                        io.micrometer.core.instrument.MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.state = new ReplicatedState(stateCache);
        this.metrics = new CompilerMetrics(registry);
        this.clock = clock;
        java.util.Properties consumerProperties = KafkaClients.consumer(settings);
        this.consumer = new KafkaConsumer<>(consumerProperties);
        this.failover = new GroupFailover(settings.groupId(), consumerProperties);
        ReplicatedCaches.whenMembersLeave(stateCache.getCacheManager(), failover::evict);
        this.partition = new TopicPartition(settings.resourcesTopic(), 0);
        this.control = new TopicPartition(settings.controlTopic(), 0);
        this.sender = new OutputSender(settings);
        this.committer = new BatchCommitter(state, sender, settings.replicaId());
    }

    public Role role() {
        return role;
    }

    /** Test hook: the next batch dies after its state write, before its Kafka transaction (a crash). */
    void crashAfterNextStateWrite() {
        committer.crashAfterNextStateWrite();
    }

    /**
     * Test hook: the loop stalls, holding its next batch (applied to the engine, nothing written
     * yet), until {@code release} opens, as a process does in a long GC pause: it stops polling,
     * so Kafka gives the partition to another replica, and afterwards it carries on as if it
     * were still the active one.
     */
    void stallBeforeNextCommit(java.util.concurrent.CountDownLatch release) {
        stallBeforeCommit = release;
    }

    /** Test hook: whether the loop is stalled now ({@link #stallBeforeNextCommit}), holding its batch. */
    boolean stalled() {
        return stalled;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(settings.resourcesTopic(), settings.controlTopic()), new Rebalance());
            role = Role.STANDBY;
            rehearseTakeOverInBackground();
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
                if (retakeAfterPoll) {
                    retakeAfterPoll = false;
                    retake();
                    continue;
                }
                if (engine != null && !records.records(partition).isEmpty()) {
                    process(records.records(partition));
                }
                if (engine != null && !records.records(control).isEmpty()) {
                    answer(records.records(control));
                }
                if (engine != null) {
                    settle(committer.finished());
                }
                if (engine != null) {
                    consumer.currentLag(partition).ifPresent(metrics::lag);
                }
            }
            role = Role.STOPPED;
        } catch (WakeupException e) {
            role = Role.STOPPED;
        } catch (RuntimeException e) {
            role = Role.FAILED;
            LOG.log(Level.SEVERE, "compiler loop failed", e);
        } finally {
            stepDown();
            committer.close();
            GroupFailover.leaveAndClose(consumer, Duration.ofSeconds(2));
            failover.close();
        }
    }

    /** Stops the loop; the partition moves to a standby. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    private void process(List<ConsumerRecord<String, byte[]>> records) {
        Outputs outputs = new Outputs();
        Map<String, byte[]> writes = new LinkedHashMap<>();
        Map<String, Long> generations = new HashMap<>();
        // Decoding is pure and a third of the work: it runs in parallel; applying is in order.
        List<ResourceRecordDecoder.Decoded> decoded = records.parallelStream()
                .map(record -> decoder.decode(record.key(), record.value())).toList();
        // One engine step per batch: a node the batch touches several times gets one delta.
        Engine.Step step = engine.step();
        for (int i = 0; i < records.size(); i++) {
            apply(records.get(i), decoded.get(i), outputs, writes, step);
        }
        long last = records.get(records.size() - 1).offset();
        for (NodeDelta delta : metrics.deltasTimer().record(step::finish)) {
            metrics.delta(delta.node());
            generations.put(delta.node(), delta.generation());
            outputs.addDelta(settings.rulesTopic(), delta, last);
        }
        commit(new BatchCommitter.Batch(ownerToken, writes, generations, outputs, Map.of(partition, last + 1),
                OptionalLong.of(last)));
    }

    /** Hands a batch to the committer once the previous one has committed; steps down if that one was fenced. */
    private void commit(BatchCommitter.Batch batch) {
        java.util.concurrent.CountDownLatch stall = stallBeforeCommit;
        if (stall != null) {
            stallBeforeCommit = null;
            stalled = true;
            try {
                stall.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stalled = false;
        }
        if (!settle(committer.await())) {
            return;
        }
        committer.submit(batch);
    }

    /**
     * Control requests: a {@code resync} publishes snapshots of the nodes asked for (all when none
     * is named) at their current generations. Answering twice is harmless, so these are committed
     * with the Kafka transaction alone (at least once), not checkpointed.
     */
    private void answer(List<ConsumerRecord<String, byte[]>> requests) {
        Outputs outputs = new Outputs();
        for (ConsumerRecord<String, byte[]> request : requests) {
            try {
                ControlRecord record = WireJson.decodeControl(request.value());
                if (ControlRecord.RESYNC.equals(record.type())) {
                    Collection<String> nodes = record.nodes().isEmpty() ? engine.nodes() : record.nodes();
                    for (String node : new java.util.TreeSet<>(nodes)) {
                        outputs.add(settings.rulesTopic(), node, RuleJsonWriter.ruleSet(engine.ruleSet(node),
                                engine.generation(node)), RulesTopic.SNAPSHOT);
                    }
                }
            } catch (WireFormatException e) {
                metrics.deadLetter();
                outputs.add(settings.deadLetterTopic(), request.key(), DeadLetters.encode(request, e.getMessage()));
            }
        }
        long next = requests.get(requests.size() - 1).offset() + 1;
        commit(new BatchCommitter.Batch(ownerToken, Map.of(), Map.of(), outputs, Map.of(control, next),
                OptionalLong.empty()));
    }

    private void apply(ConsumerRecord<String, byte[]> record, ResourceRecordDecoder.Decoded decoded, Outputs outputs,
                       Map<String, byte[]> writes, Engine.Step step) {
        if (decoded.deadLetterReason().isPresent()) {
            metrics.deadLetter();
            outputs.add(settings.deadLetterTopic(), record.key(), DeadLetters.encode(record, decoded.deadLetterReason().get()));
            return;
        }
        metrics.consumed(decoded.key().kind().displayName());
        decoded.rejections().forEach(rejection -> reject(rejection, outputs));
        if (decoded.event().isEmpty()) {
            return;
        }
        ResourceEvent event = decoded.event().get();
        if (event.type() == EventType.DELETED && event.resource().ref().kind() == ResourceKind.NAMESPACE) {
            objectsIn(event.resource().ref().name()).forEach(key -> writes.put(key, null));
        }
        List<Rejection> rejections = metrics.compileTimer().record(() -> step.apply(event));
        rejections.forEach(rejection -> reject(rejection, outputs));
        if (event.type() == EventType.DELETED) {
            writes.put(decoded.key().encode(), null);
        } else if (!refused(event, rejections, engine.state())) {
            writes.put(decoded.key().encode(), record.value());
        }
    }

    /**
     * True when the state store must not keep the object of an applied event: it was rejected and is
     * not in force. A namespace is kept whatever its rejections (a bad isolation annotation does not
     * refuse the namespace); a ClusterNetworkPolicy that fails closed has rejections but is in force,
     * so it is kept (and enforced with its fail-closed reading).
     */
    static boolean refused(ResourceEvent event, List<Rejection> rejections, ClusterState state) {
        boolean rejected = rejections.stream().anyMatch(r -> r.object().equals(event.resource().ref())
                && r.object().kind() != ResourceKind.NAMESPACE);
        return rejected && !state.inForce(event.resource());
    }

    /** Keys of the objects a namespace deletion removes with it. */
    private List<String> objectsIn(String namespace) {
        List<String> keys = new ArrayList<>();
        engine.state().podsIn(namespace).forEach(pod -> keys.add(ResourceKey.of(pod.ref()).encode()));
        engine.state().policyObjects().stream().filter(policy -> policy.ref().namespace().equals(namespace))
                .forEach(policy -> keys.add(ResourceKey.of(policy.ref()).encode()));
        return keys;
    }

    private void reject(Rejection rejection, Outputs outputs) {
        metrics.rejected(rejection);
        StatusRecord status = StatusRecord.rejected(rejection.object().kind().displayName(),
                rejection.object().namespace(), rejection.object().name(), rejection.field(), rejection.reason(),
                clock.millis());
        outputs.add(settings.statusTopic(), ResourceKey.of(rejection.object()).encode(), WireJson.encode(status));
    }

    private void takeOver() throws Exception {
        committer.settle();
        long started = System.nanoTime();
        ownerToken = state.claim(settings.replicaId());
        ReplicatedState.Snapshot snapshot = state.load();
        long loaded = System.nanoTime();
        // The new producer fences the previous active's and aborts its open transaction before the
        // committed offset is read: an offset pending in that transaction would otherwise keep
        // the read waiting until the transaction times out (30 s).
        sender.start();
        long fenced = System.nanoTime();
        OffsetAndMetadata committed = consumer.committed(java.util.Set.of(partition)).get(partition);
        long read = System.nanoTime();
        // Where a take-over's time goes, for the fail-over figures (RELIABILITY.md).
        String phases = "state claimed and loaded in " + (loaded - started) / 1_000_000 + " ms, previous producer fenced in "
                + (fenced - loaded) / 1_000_000 + " ms, committed offset read in " + (read - fenced) / 1_000_000 + " ms";
        Optional<String> lost = StateLoss.check(snapshot, committed);
        if (lost.isPresent()) {
            rebuildFromTopic(committed.offset(), lost.get(), snapshot.generations());
            consumer.seek(partition, committed.offset());
            becomeActive("rebuilt from stockade.resources; " + phases);
            return;
        }
        engine = restore(snapshot);
        phases += ", engine restored in " + (System.nanoTime() - read) / 1_000_000 + " ms";
        if (snapshot.announcePending()) {
            announce(committed == null ? 0 : committed.offset());
        }
        Optional<Checkpoint> checkpoint = snapshot.checkpoint();
        if (checkpoint.isPresent() && (committed == null || committed.offset() <= checkpoint.get().offset())) {
            LOG.info("resending the outputs of offset " + checkpoint.get().offset() + " whose transaction did not commit");
            stamp(checkpoint.get().offset(), checkpoint.get().outbox());
            consumer.seek(partition, checkpoint.get().offset() + 1);
        } else if (committed != null) {
            stamp(committed.offset() - 1, List.of());
            consumer.seek(partition, committed.offset());
        } else {
            consumer.seekToBeginning(List.of(partition));
        }
        becomeActive(snapshot.resources().size() + " objects, " + snapshot.generations().size() + " nodes; " + phases
                + ", active " + (System.nanoTime() - started) / 1_000_000 + " ms after the assignment");
    }

    /** An engine holding the snapshot's objects in force at its nodes' generations. */
    private Engine restore(ReplicatedState.Snapshot snapshot) {
        return restore(snapshot.resources().values(), snapshot.generations());
    }

    /** An engine holding the stored objects {@code values} at the nodes' {@code generations}. */
    private Engine restore(Collection<byte[]> values, Map<String, Long> generations) {
        List<Resource> inForce = new ArrayList<>();
        values.forEach(value -> decoder.resourceOf(value).ifPresent(inForce::add));
        return Engine.restore(inForce, generations);
    }

    /**
     * A standby's rehearsal of the take-over's costliest step: once the replicated state holds
     * objects, it restores an engine from them on a thread of its own and drops it. The first
     * restore in a JVM loads and compiles the engine's classes: 1.5 s for 85 objects in the chaos
     * harness, all of it in the fail-over (CI's short run: "engine restored in 1553 ms") until the
     * standby had done it once already. Pure work on a copy: it decides and writes nothing.
     */
    private void rehearseTakeOverInBackground() {
        Thread rehearsal = new Thread(() -> {
            try {
                while (running && role == Role.STANDBY) {
                    ReplicatedState.Snapshot snapshot = state.load();
                    if (!snapshot.resources().isEmpty()) {
                        long started = System.nanoTime();
                        restore(snapshot);
                        rehearsed = true;
                        LOG.info(settings.replicaId() + " (standby) rehearsed a take-over: restored " + snapshot.resources().size()
                                + " objects in " + (System.nanoTime() - started) / 1_000_000 + " ms");
                        return;
                    }
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "take-over rehearsal failed (nothing depends on it)", e);
            }
        }, "compiler-rehearsal-" + settings.replicaId());
        rehearsal.setDaemon(true);
        rehearsal.start();
    }

    /** Whether this replica, as a standby, has rehearsed a take-over (for tests). */
    boolean rehearsed() {
        return rehearsed;
    }

    /**
     * Makes this term the author of the state and of the committed offset (design: "Split brain"):
     * the checkpoint is rewritten under this replica's owner token, then {@code outbox} (the
     * unsent batch, or nothing) is sent with offset {@code lastOffset + 1} committed carrying the
     * same token as its metadata. A take-over later compares the two ({@link StateLoss#check}).
     */
    private void stamp(long lastOffset, List<Outputs.Output> outbox) throws Exception {
        state.commit(ownerToken, Map.of(), Map.of(), new Checkpoint(ownerToken, lastOffset, outbox));
        if (sender.send(outbox, Map.of(partition, lastOffset + 1), ownerToken) != CommitOutcome.COMMITTED) {
            throw new IllegalStateException("the take-over's own transaction did not commit (fenced, or Kafka kept refusing it)");
        }
    }

    private void becomeActive(String how) {
        role = Role.ACTIVE;
        metrics.active(true);
        LOG.info(settings.replicaId() + " is the active compiler (" + how + ")");
    }

    /**
     * Rebuilds the engine and the replicated state by reading {@code stockade.resources} from its
     * first record up to {@code end} (the group's committed offset) through the same decoding and
     * apply path as live records, then starts a new lineage of generations above every earlier
     * one ({@link StateLoss#lineageStart}) and publishes every node's whole rule set in it. Nothing
     * is published before the rebuild is complete: until the snapshots arrive, dispatchers and
     * agents keep the last rules they had (fail closed: never an empty or partial rule set).
     */
    private void rebuildFromTopic(long end, String why, Map<String, Long> knownGenerations) throws Exception {
        LOG.warning(why + ": rebuilding from stockade.resources offsets [0, " + end + ") before publishing anything;"
                + " dispatchers and agents keep the last rules they had meanwhile");
        long started = System.nanoTime();
        engine = new Engine();
        Map<String, byte[]> inForce = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + StateLoss.REBUILD_TIMEOUT.toNanos();
        long read = 0;
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClients.reader(settings))) {
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            while (reader.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rebuild stalled at offset " + reader.position(partition) + " of " + end);
                }
                Map<String, byte[]> writes = new LinkedHashMap<>();
                Engine.Step step = engine.step();
                for (ConsumerRecord<String, byte[]> record : reader.poll(settings.pollTimeout()).records(partition)) {
                    if (record.offset() < end) {
                        apply(record, decoder.decode(record.key(), record.value()), new Outputs(), writes, step);
                        read++;
                    }
                }
                step.finish();
                writes.forEach((key, value) -> {
                    if (value == null) {
                        inForce.remove(key);
                    } else {
                        inForce.put(key, value);
                    }
                });
            }
        }
        long lineage = StateLoss.lineageStart(clock.millis(), knownGenerations);
        Map<String, Long> generations = new HashMap<>();
        engine.nodes().forEach(node -> generations.put(node, lineage));
        engine = restore(inForce.values(), generations);
        state.replace(ownerToken, inForce, generations, end);
        LOG.warning("rebuilt " + inForce.size() + " objects from " + read + " records in "
                + (System.nanoTime() - started) / 1_000_000 + " ms; new lineage of generations from " + lineage);
        announce(end);
    }

    /**
     * Publishes every node's whole rule set at its current generation (a rebuilt state's new
     * lineage) in one transaction that commits the group's offset where it is, then clears the
     * state's announcement mark. A crash in between publishes them again: snapshots at the same
     * generation are harmless.
     */
    private void announce(long committedOffset) throws Exception {
        Outputs outputs = new Outputs();
        for (String node : new java.util.TreeSet<>(engine.nodes())) {
            outputs.add(settings.rulesTopic(), node, RuleJsonWriter.ruleSet(engine.ruleSet(node), engine.generation(node)),
                    RulesTopic.SNAPSHOT);
        }
        if (sender.send(outputs.encode(), Map.of(partition, committedOffset), ownerToken) != CommitOutcome.COMMITTED) {
            throw new IllegalStateException("could not publish the rebuilt rule sets");
        }
        state.announced(ownerToken);
        LOG.info("published the rule sets of " + engine.nodes().size() + " nodes in the new lineage");
    }

    /**
     * Acts on how the previous batch's commit ended; true when the loop may go on as the active.
     * FENCED: another replica is active, step down. FAILED (the Kafka transaction kept failing,
     * not fenced): step down and, after the next poll shows this replica still a member of the
     * group holding the partition, take over again, which resends the batch from the checkpoint.
     * Either way the batches after it were computed on the dropped engine and are read again.
     */
    private boolean settle(CommitOutcome outcome) {
        switch (outcome) {
            case COMMITTED:
                return true;
            case FENCED:
                stepDown();
                return false;
            default:
                LOG.warning(settings.replicaId() + ": a batch's Kafka transaction failed; taking over again from the checkpoint");
                stepDown();
                retakeAfterPoll = true;
                return false;
        }
    }

    /** The second half of a FAILED commit's recovery: take over again if the partition is still this replica's. */
    private void retake() {
        if (!consumer.assignment().contains(partition)) {
            LOG.info(settings.replicaId() + ": the partition moved meanwhile; staying standby");
            return;
        }
        takeOverOrStop();
    }

    /** Takes over; a take-over that fails stops the loop (the process exits and is restarted). */
    private void takeOverOrStop() {
        try {
            takeOver();
        } catch (Exception e) {
            role = Role.FAILED;
            running = false;
            LOG.log(Level.SEVERE, "take-over failed", e);
            stepDown();
        }
    }

    /** Lets the batch in flight finish, then stops being active; the engine's uncommitted work is dropped. */
    private void stepDown() {
        committer.settle();
        engine = null;
        ownerToken = null;
        sender.stop();
        metrics.active(false);
        if (role == Role.ACTIVE) {
            role = Role.STANDBY;
        }
    }

    /** Takes over when assigned the partition, steps down when it is revoked or lost. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.contains(partition)) {
                takeOverOrStop();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.contains(partition)) {
                stepDown();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
