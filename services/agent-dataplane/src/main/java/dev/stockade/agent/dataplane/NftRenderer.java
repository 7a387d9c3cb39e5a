package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;

/**
 * The renderer's public face: pure functions from the core's compiled per-node model to nft
 * scripts. {@code render(ruleSet)} is the snapshot (full, atomic table replacement);
 * {@code renderDelta(before, delta)} is the incremental transaction for one {@link NodeDelta}:
 * only the set elements, map entries and pod chains that differ between the table of
 * {@code before} and the table of {@code before.apply(delta)}.
 */
public final class NftRenderer {

    private NftRenderer() {
    }

    /** The snapshot script for a node's rule set. */
    public static String render(NodeRuleSet ruleSet) {
        return render(ruleSet, NewPods.OPEN);
    }

    /** The snapshot script for a node's rule set, local addresses without a verdict treated as {@code newPods} says. */
    public static String render(NodeRuleSet ruleSet, NewPods newPods) {
        return NftScripts.snapshot(TableBuilder.build(ruleSet, newPods));
    }

    /** The incremental script that moves a node from {@code before} to {@code before.apply(delta)}. */
    public static String renderDelta(NodeRuleSet before, NodeDelta delta) {
        return renderDelta(before, before.apply(delta));
    }

    /** The incremental script between two rule sets of the same node; empty when they enforce the same. */
    public static String renderDelta(NodeRuleSet before, NodeRuleSet after) {
        return renderDelta(before, after, NewPods.OPEN);
    }

    /** As {@link #renderDelta(NodeRuleSet, NodeRuleSet)}, with new pods treated as {@code newPods} says. */
    public static String renderDelta(NodeRuleSet before, NodeRuleSet after, NewPods newPods) {
        return NftScripts.delta(TableBuilder.build(before, newPods), TableBuilder.build(after, newPods));
    }
}
