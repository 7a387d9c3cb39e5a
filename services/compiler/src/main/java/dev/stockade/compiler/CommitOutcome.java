package dev.stockade.compiler;

/** How committing a batch (or a take-over's own transaction) ended. */
enum CommitOutcome {
    COMMITTED,
    /** Another replica owns the state or the transactional id: this one must step down. */
    FENCED,
    /**
     * The Kafka transaction kept failing, and not because of a fence; the producer is still this
     * replica's. After a state write, the state's checkpoint holds the batch: taking over again
     * resends it.
     */
    FAILED
}
