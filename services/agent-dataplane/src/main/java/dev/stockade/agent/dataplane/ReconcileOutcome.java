package dev.stockade.agent.dataplane;

import java.time.Duration;

/** What one reconcile did. Only {@link Realized} means the kernel enforces the desired state. */
public sealed interface ReconcileOutcome {

    /** How the kernel was brought in step: nothing to do, element/rule changes, or a full table replace. */
    enum Mode { UNCHANGED, DELTA, SNAPSHOT }

    /** The kernel now enforces the desired rule set; {@code scriptBytes} is 0 when nothing was run. */
    record Realized(Mode mode, int scriptBytes, Duration took) implements ReconcileOutcome {
    }

    /** A precondition does not hold (see {@link Preconditions}); the kernel was not touched. */
    record Refused(String reason) implements ReconcileOutcome {
    }

    /** nft rejected the transaction; the kernel keeps what it had (transactions roll back whole). */
    record Failed(String reason) implements ReconcileOutcome {
    }

    default boolean realized() {
        return this instanceof Realized;
    }
}
