package dev.stockade.core.compiled;

/**
 * What changed for one node, as explicit patches. {@code generation} counts the node's non-empty
 * deltas from 1; an agent that applied generation g needs g+1 next.
 */
public record NodeDelta(String node, long generation, PolicyPatch policies, GroupPatch appliedToGroups,
                        GroupPatch addressGroups) {

    public boolean isEmpty() {
        return policies.isEmpty() && appliedToGroups.isEmpty() && addressGroups.isEmpty();
    }
}
