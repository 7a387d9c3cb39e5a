package dev.stockade.compiler;

import java.util.List;

/**
 * The replicated record of the last batch the active replica applied: who applied it, the offset
 * of its last input record, and its outputs. Written in the same Infinispan transaction as the
 * state changes, before the Kafka transaction commits: if the Kafka transaction did not commit,
 * the next active sends these outputs again with the same offset commit; if it did, nothing.
 */
public record Checkpoint(String owner, long offset, List<Outputs.Output> outbox) {
}
