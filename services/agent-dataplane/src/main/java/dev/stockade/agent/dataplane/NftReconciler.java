package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeRuleSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 *
 * <p>Resuming without a flush ({@link #adopt}): a restarted agent that kept its last rule set asks
 * whether the kernel still holds exactly that table; if so it is remembered as committed and the
 * next reconciles are deltas on it: the table is never deleted and re-created on restart.
 */
public final class NftReconciler implements Reconciler {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(NftReconciler.class.getName());

    /** The hook-less copy {@link #adopt} loads for a moment to compare with the real table. */
    static final String CHECK_TABLE = NftTable.NAME + "-check";

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

    /**
     * Remembers the kernel's table as committed when it is exactly the rendering of {@code desired};
     * writes nothing to the real table. How: the same table, with no hooks (so it cannot see a
     * packet), is loaded as {@code table inet stockade-check}, listed and deleted; its listing and
     * the real one must agree block by block ({@link TableListing}), and the real base chains must
     * carry the hooks {@code desired} renders. False (nothing remembered) when the table is missing,
     * differs, or anything fails.
     */
    @Override
    public synchronized boolean adopt(NodeRuleSet desired) {
        NftTable wanted = TableBuilder.build(desired, newPods);
        CommandRunner.Result real = nft.listStateless(NftTable.NAME);
        if (!real.ok()) {
            return false;
        }
        Optional<TableListing> expected = hookless(wanted);
        if (expected.isEmpty()) {
            LOG.warning("cannot load a copy of the kept table to compare with the kernel's; replacing it");
            return false;
        }
        List<String> differences = expected.get().withHooks(TableListing.hooksOf(wanted))
                .differences(TableListing.parse(real.stdout()));
        if (!differences.isEmpty()) {
            LOG.warning("the kernel's table differs from the kept rules' in " + differences + "; replacing it");
            return false;
        }
        committed = wanted;
        return true;
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
        if (!nft.listTable().ok()) {
            return new ReconcileOutcome.Failed("nft accepted the snapshot but lists no table " + NftTable.QUALIFIED);
        }
        committed = wanted;
        return realized(ReconcileOutcome.Mode.SNAPSHOT, script, started);
    }

    /** The listing of {@code wanted} loaded without hooks as {@value #CHECK_TABLE}; empty when that fails. */
    private Optional<TableListing> hookless(NftTable wanted) {
        Map<String, NftChain> chains = new LinkedHashMap<>();
        wanted.chains().forEach((name, chain) -> chains.put(name, new NftChain(name, null, chain.comment(), chain.rules())));
        String script = NftScripts.snapshot(new NftTable(wanted.sets(), chains))
                .replace("table " + NftTable.QUALIFIED + "\n", "table " + NftTable.FAMILY + " " + CHECK_TABLE + "\n")
                .replace("table " + NftTable.QUALIFIED + " {\n", "table " + NftTable.FAMILY + " " + CHECK_TABLE + " {\n");
        try {
            if (!nft.apply(script).ok()) {
                return Optional.empty();
            }
            CommandRunner.Result listed = nft.listStateless(CHECK_TABLE);
            return listed.ok() ? Optional.of(TableListing.parse(listed.stdout())) : Optional.empty();
        } finally {
            nft.apply("delete table " + NftTable.FAMILY + " " + CHECK_TABLE + "\n");
        }
    }

    private static ReconcileOutcome realized(ReconcileOutcome.Mode mode, String script, long started) {
        return new ReconcileOutcome.Realized(mode, script.getBytes(StandardCharsets.UTF_8).length, since(started));
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
