package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeRuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A reconciler for tests: renders exactly what {@link NftReconciler} would run (snapshot after a
 * start or {@link #forget()}, otherwise the delta) and records it instead of touching a kernel.
 * {@link #refuse(String)} makes it behave like a node whose preconditions fail.
 * {@link #adopt}: by default a kept rule set is taken as still in force (there is no kernel to lose,
 * so a restarted agent resumes as on a node whose table survived, as before issue 13);
 * {@link #kernelHolds(NodeRuleSet)} plays a kernel holding one table (only that is adopted) and
 * {@link #kernelLost()} one whose table is gone (a reboot: nothing is adopted).
 */
public final class RecordingReconciler implements Reconciler {

    /** One reconcile as recorded: the desired state, what it would have done and the script. */
    public record Call(NodeRuleSet desired, ReconcileOutcome outcome, String script) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final NewPods newPods;
    private NftTable committed;
    private String refusal;
    private int forgets;
    private NftTable kernel;
    private boolean keepsAnything = true;

    /** Records what an {@link NftReconciler} with new pods open would run. */
    public RecordingReconciler() {
        this(NewPods.OPEN);
    }

    /** Records what an {@link NftReconciler} treating new pods as {@code newPods} says would run. */
    public RecordingReconciler(NewPods newPods) {
        this.newPods = newPods;
    }

    @Override
    public synchronized ReconcileOutcome reconcile(NodeRuleSet desired) {
        NftTable wanted = TableBuilder.build(desired, newPods);
        if (refusal != null) {
            return record(desired, new ReconcileOutcome.Refused(refusal), "");
        }
        boolean snapshot = committed == null;
        String script = snapshot ? NftScripts.snapshot(wanted) : NftScripts.delta(committed, wanted);
        committed = wanted;
        kernel = wanted;
        ReconcileOutcome.Mode mode = snapshot ? ReconcileOutcome.Mode.SNAPSHOT
                : script.isEmpty() ? ReconcileOutcome.Mode.UNCHANGED : ReconcileOutcome.Mode.DELTA;
        return record(desired, new ReconcileOutcome.Realized(mode, script.length(), Duration.ZERO), script);
    }

    @Override
    public synchronized void forget() {
        committed = null;
        forgets++;
    }

    /** The "kernel" holds the table of {@code ruleSet} (as a previous agent left it); null: no table. */
    public synchronized RecordingReconciler kernelHolds(NodeRuleSet ruleSet) {
        kernel = ruleSet == null ? null : TableBuilder.build(ruleSet, newPods);
        keepsAnything = false;
        return this;
    }

    /** The "kernel" holds no table (a reboot wiped it): nothing is adopted. */
    public RecordingReconciler kernelLost() {
        return kernelHolds(null);
    }

    @Override
    public synchronized boolean adopt(NodeRuleSet desired) {
        NftTable wanted = TableBuilder.build(desired, newPods);
        if (!keepsAnything && !wanted.equals(kernel)) {
            return false;
        }
        committed = wanted;
        return true;
    }

    /** From now on, refuse every reconcile with this reason (null to stop refusing). */
    public synchronized void refuse(String reason) {
        refusal = reason;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized int forgets() {
        return forgets;
    }

    private ReconcileOutcome record(NodeRuleSet desired, ReconcileOutcome outcome, String script) {
        calls.add(new Call(desired, outcome, script));
        return outcome;
    }
}
