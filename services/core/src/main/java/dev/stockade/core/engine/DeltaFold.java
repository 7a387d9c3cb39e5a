package dev.stockade.core.engine;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What agents hold: per node, the fold of every delta it received. Generations must arrive in
 * order without gaps or repeats (IllegalStateException otherwise): a fold is also a check.
 */
public final class DeltaFold {

    private final Map<String, NodeRuleSet> ruleSets = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();

    /** Applies a node's next delta. */
    public void apply(NodeDelta delta) {
        long expected = generations.getOrDefault(delta.node(), 0L) + 1;
        if (delta.generation() != expected) {
            throw new IllegalStateException("node " + delta.node() + " expected generation " + expected + " but got "
                    + delta.generation());
        }
        generations.put(delta.node(), delta.generation());
        ruleSets.put(delta.node(), ruleSet(delta.node()).apply(delta));
    }

    /** The node's folded rule set (empty when it never had a delta). */
    public NodeRuleSet ruleSet(String node) {
        return ruleSets.getOrDefault(node, NodeRuleSet.empty(node));
    }

    /** Last generation applied for a node, 0 when none. */
    public long generation(String node) {
        return generations.getOrDefault(node, 0L);
    }

    /** Every node that has received a delta and still has something to enforce, sorted. */
    public SortedMap<String, NodeRuleSet> nonEmptyRuleSets() {
        TreeMap<String, NodeRuleSet> nonEmpty = new TreeMap<>();
        ruleSets.forEach((node, ruleSet) -> {
            if (!ruleSet.isEmpty()) {
                nonEmpty.put(node, ruleSet);
            }
        });
        return Collections.unmodifiableSortedMap(nonEmpty);
    }
}
