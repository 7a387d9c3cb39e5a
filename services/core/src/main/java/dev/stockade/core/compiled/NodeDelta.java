package dev.stockade.core.compiled;

/**
 * What changed for one node, as explicit patches. {@code generation} counts the node's non-empty
 * deltas from 1; an agent that applied generation g needs g+1 next. {@code localPods} changes the
 * list of the node's pods with an address (see {@link LocalPod}); empty when they did not change.
 */
public record NodeDelta(String node, long generation, PolicyPatch policies, GroupPatch appliedToGroups,
                        GroupPatch addressGroups, LocalPodPatch localPods) {

    /** A delta that leaves the node's local pods as they are. */
    public NodeDelta(String node, long generation, PolicyPatch policies, GroupPatch appliedToGroups,
                     GroupPatch addressGroups) {
        this(node, generation, policies, appliedToGroups, addressGroups, LocalPodPatch.EMPTY);
    }

    public NodeDelta {
        localPods = localPods == null ? LocalPodPatch.EMPTY : localPods;
    }

    public boolean isEmpty() {
        return policies.isEmpty() && appliedToGroups.isEmpty() && addressGroups.isEmpty() && localPods.isEmpty();
    }
}
