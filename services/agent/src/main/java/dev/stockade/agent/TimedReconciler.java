package dev.stockade.agent;

import dev.stockade.agent.dataplane.ReconcileOutcome;
import dev.stockade.agent.dataplane.Reconciler;
import dev.stockade.core.compiled.NodeRuleSet;
import io.micrometer.core.instrument.Timer;

/**
 * The agent's reconciler with the apply time measured ({@code stockade_agent_apply_seconds}) and the
 * last rule set it was asked for remembered, so the report of a reconcile knows what was applied.
 */
final class TimedReconciler implements Reconciler {

    private final Reconciler delegate;
    private final Timer apply;
    private volatile NodeRuleSet last;

    TimedReconciler(Reconciler delegate, Timer apply) {
        this.delegate = delegate;
        this.apply = apply;
    }

    @Override
    public ReconcileOutcome reconcile(NodeRuleSet desired) {
        last = desired;
        long start = System.nanoTime();
        try {
            return delegate.reconcile(desired);
        } finally {
            apply.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void forget() {
        delegate.forget();
    }

    /** The rule set of the latest reconcile (null before the first). */
    NodeRuleSet last() {
        return last;
    }
}
