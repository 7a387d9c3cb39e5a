package dev.stockade.agent;

import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RuleDeltaRecord;
import dev.stockade.events.v1.RuleSetRecord;
import dev.stockade.events.v1.WireFormatException;

/**
 * The rule set the agent should enforce and its generation: a snapshot replaces it; a delta applies
 * only to the generation right before it (otherwise the agent NACKs with a {@code gap:} and the
 * dispatcher sends a snapshot). Generation 0 with the empty rule set is "nothing received yet".
 * Not thread-safe: the agent's receive path owns it.
 */
public final class DesiredState {

    /** A delta or snapshot that could not be applied; {@code error} is the NACK text ({@code class: detail}). */
    public static final class Rejected extends Exception {
        Rejected(String error) {
            super(error);
        }
    }

    private NodeRuleSet ruleSet;
    private long generation;

    public DesiredState(NodeRuleSet ruleSet, long generation) {
        this.ruleSet = ruleSet;
        this.generation = generation;
    }

    public NodeRuleSet ruleSet() {
        return ruleSet;
    }

    public long generation() {
        return generation;
    }

    public void applySnapshot(RuleSetRecord snapshot) throws Rejected {
        if (!snapshot.node().equals(ruleSet.node())) {
            throw new Rejected("decode: snapshot of node " + snapshot.node() + " sent to node " + ruleSet.node());
        }
        try {
            ruleSet = RuleDeltaCodec.fromWire(snapshot);
            generation = snapshot.generation();
        } catch (WireFormatException e) {
            throw new Rejected("decode: " + e.getMessage());
        }
    }

    public void applyDelta(RuleDeltaRecord delta) throws Rejected {
        if (delta.generation() != generation + 1) {
            throw new Rejected("gap: holding generation " + generation + ", received " + delta.generation());
        }
        try {
            ruleSet = ruleSet.apply(RuleDeltaCodec.fromWire(delta));
            generation = delta.generation();
        } catch (WireFormatException | IllegalArgumentException | IllegalStateException e) {
            // IllegalStateException: a member patch of a group the rule set does not have
            throw new Rejected("decode: " + e.getMessage());
        }
    }
}
