package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.policy.PolicyRef;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The whole cluster compiled: every policy, applied-to group and address group with its span
 * (the nodes that need it), and every node's local pods. Per-node rule sets are views of it.
 */
public final class CompiledCluster {

    /** A group with all its members and its span. */
    public record Group(String id, String selection, Map<String, GroupMember> members, Set<String> span) {
    }

    private final Map<PolicyRef, CompiledPolicy> policies;
    private final Map<String, Group> appliedToGroups;
    private final Map<String, Group> addressGroups;
    private final Map<String, SortedMap<String, LocalPod>> localPods;

    CompiledCluster(Map<PolicyRef, CompiledPolicy> policies, Map<String, Group> appliedToGroups,
                    Map<String, Group> addressGroups, Map<String, SortedMap<String, LocalPod>> localPods) {
        this.policies = policies;
        this.appliedToGroups = appliedToGroups;
        this.addressGroups = addressGroups;
        this.localPods = localPods;
    }

    public Map<PolicyRef, CompiledPolicy> policies() {
        return Collections.unmodifiableMap(policies);
    }

    public Map<String, Group> appliedToGroups() {
        return Collections.unmodifiableMap(appliedToGroups);
    }

    public Map<String, Group> addressGroups() {
        return Collections.unmodifiableMap(addressGroups);
    }

    /** Per node with any, its local pods by pod key. */
    public Map<String, SortedMap<String, LocalPod>> localPods() {
        return Collections.unmodifiableMap(localPods);
    }

    /** Nodes that need anything (a policy or a local pod), sorted. */
    public SortedMap<String, NodeRuleSet> ruleSets() {
        Set<String> nodes = new TreeSet<>(localPods.keySet());
        appliedToGroups.values().forEach(group -> nodes.addAll(group.span()));
        TreeMap<String, NodeRuleSet> ruleSets = new TreeMap<>();
        nodes.forEach(node -> ruleSets.put(node, ruleSetFor(node)));
        return ruleSets;
    }

    /** What one node enforces (empty when nothing applies to its pods and it has none). */
    public NodeRuleSet ruleSetFor(String node) {
        TreeMap<String, CompiledPolicy> nodePolicies = new TreeMap<>();
        TreeMap<String, MemberGroup> nodeAppliedTo = new TreeMap<>();
        TreeMap<String, MemberGroup> nodeAddresses = new TreeMap<>();
        Set<String> referenced = new HashSet<>();
        for (CompiledPolicy policy : policies.values()) {
            Group appliedTo = appliedToGroups.get(policy.appliedToGroup());
            if (!appliedTo.span().contains(node)) {
                continue;
            }
            nodePolicies.put(policy.id(), policy);
            nodeAppliedTo.computeIfAbsent(appliedTo.id(), id -> localView(appliedTo, node));
            policy.rules().forEach(rule -> referenced.addAll(rule.addressGroups()));
        }
        for (String id : referenced) {
            Group group = addressGroups.get(id);
            nodeAddresses.put(id, new MemberGroup(id, group.selection(), new TreeMap<>(group.members())));
        }
        return new NodeRuleSet(node, nodePolicies, nodeAppliedTo, nodeAddresses,
                localPods.getOrDefault(node, new TreeMap<>()));
    }

    private static MemberGroup localView(Group group, String node) {
        TreeMap<String, GroupMember> local = new TreeMap<>();
        group.members().forEach((pod, member) -> {
            if (node.equals(member.node())) {
                local.put(pod, member);
            }
        });
        return new MemberGroup(group.id(), group.selection(), local);
    }
}
