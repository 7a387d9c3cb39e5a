package dev.stockade.compiler;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits the active replica's batches, in order, on a thread of its own, so that the loop decodes
 * and compiles batch N+1 while batch N commits.
 *
 * <p>Committing a batch is (0) encoding its deltas ({@link Outputs#encode()}), (1) its state
 * changes and checkpoint in one Infinispan transaction, then (2) its outputs and input offsets in
 * one Kafka transaction. At most one batch is in flight: the loop waits for batch N's outcome
 * before it hands over N+1, so N+1's state write always follows N's Kafka commit and the single
 * checkpoint of {@link ReplicatedState} stays the only batch whose outputs may be unsent. Dropping
 * the loop's engine at any point is the same as a crash there, which the checkpoint repairs.
 */
final class BatchCommitter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchCommitter.class.getName());

    /**
     * One batch to commit. {@code checkpointOffset} is the offset of its last resources record, or
     * empty for answers to control requests, which write no state (answering twice is harmless).
     */
    record Batch(String owner, Map<String, byte[]> writes, Map<String, Long> generations, Outputs outputs,
                 Map<TopicPartition, Long> nextOffsets, OptionalLong checkpointOffset) {
    }

    private final ReplicatedState state;
    private final OutputSender sender;
    private final ExecutorService thread;
    private volatile boolean crashAfterStateWrite;
    private Future<CommitOutcome> inFlight;

    BatchCommitter(ReplicatedState state, OutputSender sender, String replicaId) {
        this.state = state;
        this.sender = sender;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread committer = new Thread(task, "compiler-commit-" + replicaId);
            committer.setDaemon(true);
            return committer;
        });
    }

    /** Test hook: the next batch dies after its state write, before its Kafka transaction (a crash). */
    void crashAfterNextStateWrite() {
        crashAfterStateWrite = true;
    }

    /** Starts committing {@code batch}; the previous one must have finished ({@link #await()}). */
    void submit(Batch batch) {
        if (inFlight != null) {
            throw new IllegalStateException("a batch is still committing");
        }
        inFlight = thread.submit(() -> commit(batch));
    }

    /** Waits for the batch in flight; COMMITTED when there is none. A failed commit is rethrown. */
    CommitOutcome await() {
        if (inFlight == null) {
            return CommitOutcome.COMMITTED;
        }
        Future<CommitOutcome> finishing = inFlight;
        inFlight = null;
        try {
            return finishing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a batch was committing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("batch commit failed", e.getCause());
        }
    }

    /** The outcome of the batch in flight if it has finished, else (or with none in flight) COMMITTED. */
    CommitOutcome finished() {
        return inFlight != null && inFlight.isDone() ? await() : CommitOutcome.COMMITTED;
    }

    /** Waits for the batch in flight and forgets how it ended: for stepping down. */
    void settle() {
        try {
            await();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the last batch did not commit; the next active repairs it from the checkpoint", e);
        }
    }

    @Override
    public void close() {
        settle();
        thread.shutdown();
    }

    private CommitOutcome commit(Batch batch) {
        List<Outputs.Output> outputs = batch.outputs().encode();
        if (batch.checkpointOffset().isPresent()) {
            try {
                state.commit(batch.owner(), batch.writes(), batch.generations(),
                        new Checkpoint(batch.owner(), batch.checkpointOffset().getAsLong(), outputs));
            } catch (ReplicatedState.FencedException e) {
                LOG.warning("another replica took over: " + e.getMessage());
                return CommitOutcome.FENCED;
            } catch (Exception e) {
                throw new IllegalStateException("replicated state write failed", e);
            }
            if (crashAfterStateWrite) {
                throw new IllegalStateException("simulated crash after the state write, before the Kafka commit");
            }
        }
        return sender.send(outputs, batch.nextOffsets(), batch.owner());
    }
}
