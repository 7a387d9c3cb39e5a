package dev.stockade.core.compiled;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything one node's agent needs to enforce: the policies whose applied-to pods include a
 * pod of this node, those applied-to groups restricted to this node's pods, and the address
 * groups their rules reference. Maps are keyed by id.
 */
public record NodeRuleSet(String node, SortedMap<String, CompiledPolicy> policies,
                          SortedMap<String, MemberGroup> appliedToGroups,
                          SortedMap<String, MemberGroup> addressGroups) {

    public NodeRuleSet {
        policies = Collections.unmodifiableSortedMap(new TreeMap<>(policies));
        appliedToGroups = Collections.unmodifiableSortedMap(new TreeMap<>(appliedToGroups));
        addressGroups = Collections.unmodifiableSortedMap(new TreeMap<>(addressGroups));
    }

    /** A node with nothing to enforce. */
    public static NodeRuleSet empty(String node) {
        return new NodeRuleSet(node, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    public boolean isEmpty() {
        return policies.isEmpty() && appliedToGroups.isEmpty() && addressGroups.isEmpty();
    }

    /**
     * The rule set after a delta: removals first, then additions, then member patches (their
     * removals, then their additions). Throws IllegalArgumentException for a delta of another node.
     */
    public NodeRuleSet apply(NodeDelta delta) {
        if (!delta.node().equals(node)) {
            throw new IllegalArgumentException("delta for node " + delta.node() + " applied to node " + node);
        }
        TreeMap<String, CompiledPolicy> nextPolicies = new TreeMap<>(policies);
        delta.policies().removed().forEach(nextPolicies::remove);
        delta.policies().added().forEach(policy -> nextPolicies.put(policy.id(), policy));
        return new NodeRuleSet(node, nextPolicies, delta.appliedToGroups().applyTo(appliedToGroups),
                delta.addressGroups().applyTo(addressGroups));
    }
}
