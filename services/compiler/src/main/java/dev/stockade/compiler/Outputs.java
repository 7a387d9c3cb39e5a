package dev.stockade.compiler;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.events.v1.RuleJsonWriter;
import dev.stockade.events.v1.RulesTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The records one batch of input produces, in the order they are sent: status records and dead
 * letters as its records cause them, then its per-node deltas. Kept in the replicated checkpoint until the batch's Kafka transaction
 * commits, so a replica taking over can send them again (an outbox).
 *
 * <p>Deltas are kept as the engine made them (immutable values) and encoded by {@link #encode()}
 * on the {@link BatchCommitter}'s thread: encoding is a sixth of a batch's work, and the loop's
 * thread is the pipeline's bottleneck.
 */
final class Outputs {

    /** One record to send: topic, key, value (null value = tombstone), and for rules records their type header. */
    record Output(String topic, String key, byte[] value, String type) {
    }

    private final List<Supplier<Output>> records = new ArrayList<>();

    void add(String topic, String key, byte[] value) {
        add(topic, key, value, null);
    }

    void add(String topic, String key, byte[] value, String type) {
        Output output = new Output(topic, key, value, type);
        records.add(() -> output);
    }

    /** A node's delta for the batch whose last resources record is at {@code sourceOffset}. */
    void addDelta(String topic, NodeDelta delta, long sourceOffset) {
        records.add(() -> new Output(topic, delta.node(), RuleJsonWriter.delta(delta, sourceOffset),
                RulesTopic.DELTA));
    }

    /** The records to send, deltas encoded now. */
    List<Output> encode() {
        List<Output> encoded = new ArrayList<>(records.size());
        records.forEach(record -> encoded.add(record.get()));
        return encoded;
    }
}
