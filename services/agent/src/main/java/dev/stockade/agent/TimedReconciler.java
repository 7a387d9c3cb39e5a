package dev.stockade.agent;

import dev.stockade.agent.dataplane.ReconcileOutcome;
import dev.stockade.agent.dataplane.Reconciler;
import dev.stockade.core.compiled.NodeRuleSet;
import io.micrometer.core.instrument.Timer;

/**
 * The agent's reconciler with the apply time measured ({@code stockade_agent_apply_seconds}).
 */
final class TimedReconciler implements Reconciler {

    private final Reconciler delegate;
    private final Timer apply;

    TimedReconciler(Reconciler delegate, Timer apply) {
        this.delegate = delegate;
        this.apply = apply;
    }

    @Override
    public ReconcileOutcome reconcile(NodeRuleSet desired) {
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

    @Override
    public boolean adopt(NodeRuleSet desired) {
        return delegate.adopt(desired);
    }
}
