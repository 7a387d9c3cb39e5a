package dev.stockade.core.compiled;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything one node's agent needs to enforce: the policies whose applied-to pods include a
 * pod of this node, those applied-to groups restricted to this node's pods, the address groups
 * their rules reference, and the node's local pods (every pod bound to it that has an address,
 * selected by a policy or not; see {@link LocalPod}). Maps are keyed by id (pods: by pod key).
 * Empty local pods: the node has no pod with an address, or (decoded from a record written before
 * the list existed) the compiler did not say; either way no local address has a verdict through it.
 */
public record NodeRuleSet(String node, SortedMap<String, CompiledPolicy> policies,
                          SortedMap<String, MemberGroup> appliedToGroups,
                          SortedMap<String, MemberGroup> addressGroups,
                          SortedMap<String, LocalPod> localPods) {

    /** A rule set that lists no local pods. */
    public NodeRuleSet(String node, SortedMap<String, CompiledPolicy> policies,
                       SortedMap<String, MemberGroup> appliedToGroups, SortedMap<String, MemberGroup> addressGroups) {
        this(node, policies, appliedToGroups, addressGroups, new TreeMap<>());
    }

    public NodeRuleSet {
        policies = Collections.unmodifiableSortedMap(new TreeMap<>(policies));
        appliedToGroups = Collections.unmodifiableSortedMap(new TreeMap<>(appliedToGroups));
        addressGroups = Collections.unmodifiableSortedMap(new TreeMap<>(addressGroups));
        localPods = Collections.unmodifiableSortedMap(new TreeMap<>(localPods == null ? new TreeMap<>() : localPods));
    }

    /** A node with nothing to enforce. */
    public static NodeRuleSet empty(String node) {
        return new NodeRuleSet(node, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** True when the node has no policy, no group and no local pod. */
    public boolean isEmpty() {
        return policies.isEmpty() && appliedToGroups.isEmpty() && addressGroups.isEmpty() && localPods.isEmpty();
    }

    /**
     * The rule set after a delta: removals first, then additions, then member patches (their
     * removals, then their additions); local pods likewise, removals before additions. Throws
     * IllegalArgumentException for a delta of another node.
     */
    public NodeRuleSet apply(NodeDelta delta) {
        if (!delta.node().equals(node)) {
            throw new IllegalArgumentException("delta for node " + delta.node() + " applied to node " + node);
        }
        TreeMap<String, CompiledPolicy> nextPolicies = new TreeMap<>(policies);
        delta.policies().removed().forEach(nextPolicies::remove);
        delta.policies().added().forEach(policy -> nextPolicies.put(policy.id(), policy));
        return new NodeRuleSet(node, nextPolicies, delta.appliedToGroups().applyTo(appliedToGroups),
                delta.addressGroups().applyTo(addressGroups), delta.localPods().applyTo(localPods));
    }
}
