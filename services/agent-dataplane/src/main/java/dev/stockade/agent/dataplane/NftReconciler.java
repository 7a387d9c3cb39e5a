package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeRuleSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Keeps {@code table inet stockade} in one network namespace equal to the rendering of the desired
 * rule set.
 *
 * <p>How: it remembers the table it last committed. A new desired state becomes the difference
 * of the two tables (element and rule changes, one transaction). If that transaction fails, the
 * kernel evidently differs from what was remembered (someone edited or deleted the table), so it
 * replaces the table in full. Snapshots check the preconditions first; while they fail nothing is
 * touched and nothing is reported realized.
 *
 * <p>Fail closed across restarts: a new reconciler remembers nothing and never deletes the table
 * on start, so the rules of the previous agent keep isolating pods until the first snapshot
 * replaces them in one transaction. Nothing here ever removes the table without a replacement.
 */
public final class NftReconciler implements Reconciler {

    private final Nft nft;
    private final NodeLayout layout;
    private final NewPods newPods;
    private NftTable committed;

    /** New pods open until their rules arrive ({@link NewPods#OPEN}). */
    public NftReconciler(Nft nft, NodeLayout layout) {
        this(nft, layout, NewPods.OPEN);
    }

    /** {@code newPods}: whether local pod addresses without a verdict are dropped, and the node's pod CIDRs. */
    public NftReconciler(Nft nft, NodeLayout layout, NewPods newPods) {
        this.nft = nft;
        this.layout = layout;
        this.newPods = newPods;
    }

    @Override
    public synchronized ReconcileOutcome reconcile(NodeRuleSet desired) {
        long started = System.nanoTime();
        NftTable wanted = TableBuilder.build(desired, newPods);
        if (committed != null) {
            String delta = NftScripts.delta(committed, wanted);
            if (delta.isEmpty()) {
                return new ReconcileOutcome.Realized(ReconcileOutcome.Mode.UNCHANGED, 0, since(started));
            }
            if (nft.apply(delta).ok()) {
                committed = wanted;
                return realized(ReconcileOutcome.Mode.DELTA, delta, started);
            }
            committed = null;
        }
        return snapshot(wanted, started);
    }

    @Override
    public synchronized void forget() {
        committed = null;
    }

    private ReconcileOutcome snapshot(NftTable wanted, long started) {
        List<String> problems = Preconditions.check(nft, layout);
        if (!problems.isEmpty()) {
            return new ReconcileOutcome.Refused(String.join("; ", problems));
        }
        String script = NftScripts.snapshot(wanted);
        CommandRunner.Result result = nft.apply(script);
        if (!result.ok()) {
            return new ReconcileOutcome.Failed("nft rejected the snapshot: " + result.stderr().strip());
        }
        committed = wanted;
        return realized(ReconcileOutcome.Mode.SNAPSHOT, script, started);
    }

    private static ReconcileOutcome realized(ReconcileOutcome.Mode mode, String script, long started) {
        return new ReconcileOutcome.Realized(mode, script.getBytes(StandardCharsets.UTF_8).length, since(started));
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
