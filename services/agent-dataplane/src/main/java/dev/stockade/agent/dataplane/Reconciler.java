package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeRuleSet;

/**
 * The agent's enforcement seam (Antrea's {@code Reconciler}): desired state in, the kernel brought
 * in step with it. Implementations: {@link NftReconciler} (the kernel) and
 * {@link RecordingReconciler} (tests).
 */
public interface Reconciler {

    /**
     * Makes the node enforce exactly {@code desired}. Says whether that is now true; only a
     * {@link ReconcileOutcome.Realized} outcome may be reported upstream as "realized".
     */
    ReconcileOutcome reconcile(NodeRuleSet desired);

    /**
     * Forgets what the reconciler believes the kernel holds, so the next {@link #reconcile} replaces
     * the whole table (resync, reconnect, suspected drift). It removes no rules: whatever is
     * enforced stays enforced until the replacement commits (fail closed).
     */
    void forget();

    /**
     * At start, with a kept rule set: if the node already enforces exactly {@code desired} (the
     * previous agent's table is still in the kernel), remember that as reconciled without writing
     * anything and return true; the next {@link #reconcile} is then incremental. False when the
     * node does not hold it (a reboot wiped the table, it drifted) or this reconciler cannot tell:
     * nothing is remembered, the next reconcile replaces the table. The default cannot tell.
     */
    default boolean adopt(NodeRuleSet desired) {
        return false;
    }
}
