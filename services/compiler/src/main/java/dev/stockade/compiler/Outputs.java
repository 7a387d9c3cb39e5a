package dev.stockade.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * The records one batch of input produces, in the order they are sent: per-node deltas, status
 * records, dead letters. Kept in the replicated checkpoint until the batch's Kafka transaction
 * commits, so a replica taking over can send them again (an outbox).
 */
public record Outputs(List<Output> records) {

    /** One record to send: topic, key, value (null value = tombstone), and for rules records their type header. */
    public record Output(String topic, String key, byte[] value, String type) {
    }

    public static Outputs empty() {
        return new Outputs(new ArrayList<>());
    }

    void add(String topic, String key, byte[] value) {
        records.add(new Output(topic, key, value, null));
    }

    void add(String topic, String key, byte[] value, String type) {
        records.add(new Output(topic, key, value, type));
    }
}
