package dev.stockade.core.engine;

import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.PolicyRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A group the engine maintains. {@code nodeCounts} is its span as counts: for an applied-to group,
 * members per node; for an address group, (referencing policy, node in that policy's span) pairs
 * per node. A node is in span while its count is positive.
 */
final class LiveGroup {

    final String id;
    final PodSelection selection;
    final boolean appliedTo;
    final Map<String, GroupMember> members = new HashMap<>();
    final Map<String, Integer> nodeCounts = new HashMap<>();
    final Set<PolicyRef> policies = new HashSet<>();

    LiveGroup(String id, PodSelection selection, boolean appliedTo) {
        this.id = id;
        this.selection = selection;
        this.appliedTo = appliedTo;
    }

    int count(String node) {
        return nodeCounts.getOrDefault(node, 0);
    }

    /** The group as a node receives it: applied-to groups hold only that node's members. */
    MemberGroup viewFor(String node) {
        TreeMap<String, GroupMember> view = new TreeMap<>();
        members.forEach((pod, member) -> {
            if (!appliedTo || node.equals(member.node())) {
                view.put(pod, member);
            }
        });
        return new MemberGroup(id, selection.canonical(), view);
    }
}
