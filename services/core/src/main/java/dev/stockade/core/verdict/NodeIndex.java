package dev.stockade.core.verdict;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NodeRuleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lookups an agent would build from its rule set: the policies applying to each local pod (with
 * the pod's member entry), NetworkPolicy-tier ones apart from ClusterNetworkPolicies, and, per
 * address group, members by IP.
 */
final class NodeIndex {

    /** A policy applying to a local pod, and the pod as that policy's applied-to member. */
    record Applied(CompiledPolicy policy, GroupMember member) {
    }

    private final Map<String, List<Applied>> policiesByPod = new HashMap<>();
    private final Map<String, List<Applied>> clusterPoliciesByPod = new HashMap<>();
    private final Map<String, Map<String, GroupMember>> addressMembersByIp = new HashMap<>();

    NodeIndex(NodeRuleSet ruleSet) {
        for (CompiledPolicy policy : ruleSet.policies().values()) {
            MemberGroup appliedTo = ruleSet.appliedToGroups().get(policy.appliedToGroup());
            if (appliedTo == null) {
                continue;
            }
            Map<String, List<Applied>> byPod = policy.clusterWide() ? clusterPoliciesByPod : policiesByPod;
            appliedTo.members().forEach((pod, member) ->
                    byPod.computeIfAbsent(pod, p -> new ArrayList<>()).add(new Applied(policy, member)));
        }
        clusterPoliciesByPod.values().forEach(applied -> applied.sort(
                java.util.Comparator.comparing(Applied::policy, CompiledPolicy.PRECEDENCE)));
        ruleSet.addressGroups().forEach((id, group) -> {
            Map<String, GroupMember> byIp = new HashMap<>();
            group.members().values().forEach(member -> member.ips().forEach(ip -> byIp.put(ip, member)));
            addressMembersByIp.put(id, byIp);
        });
    }

    /** NetworkPolicy-tier policies (in id order) whose applied-to group holds the pod on this node. */
    List<Applied> policiesOf(String pod) {
        return policiesByPod.getOrDefault(pod, List.of());
    }

    /** ClusterNetworkPolicies whose subject holds the pod on this node, Admin then Baseline, each by precedence. */
    List<Applied> clusterPoliciesOf(String pod) {
        return clusterPoliciesByPod.getOrDefault(pod, List.of());
    }

    /** The member of an address group that has this IP, or null. */
    GroupMember addressMember(String group, String ip) {
        Map<String, GroupMember> byIp = addressMembersByIp.get(group);
        return byIp == null ? null : byIp.get(ip);
    }
}
