package dev.stockade.core.engine;

import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.policy.PolicyRef;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The "before" of everything one event (or one step of events) touches, recorded on first touch:
 * old members, old span counts, old policies. Deltas are the difference between these and the
 * engine's state after, so intermediate steps never leak out.
 */
final class Journal {

    /** Per group: pod key to its member before the event (null: was not a member). */
    final Map<LiveGroup, Map<String, GroupMember>> oldMembers = new LinkedHashMap<>();
    /** Per group: node to its count before the event. */
    final Map<LiveGroup, Map<String, Integer>> oldCounts = new LinkedHashMap<>();
    /** Per policy: its live form before the event (null: did not exist). */
    final Map<PolicyRef, LivePolicy> oldPolicies = new LinkedHashMap<>();
    /** Per pod key: its entry in a node's local pods before the event (null: on no node's list). */
    final Map<String, Placed> oldLocalPods = new LinkedHashMap<>();
    /** A pod's entry in the local pods of {@code node}. */
    record Placed(String node, LocalPod pod) {
    }

    /** Where old members and local pods are recorded: here, or in the step's journal (see {@link #forEventOf}). */
    private final Journal membersInto;

    Journal() {
        membersInto = this;
    }

    private Journal(Journal step) {
        membersInto = step;
    }

    /**
     * The journal of one event inside a step. Span propagation needs the event's own old counts and
     * policies, but nothing reads an event's old members or local pods, so those go straight to the
     * step's journal (first touch kept); {@link #absorb} then takes in the rest.
     */
    static Journal forEventOf(Journal step) {
        return new Journal(step);
    }

    void member(LiveGroup group, String pod, GroupMember before) {
        Map<String, GroupMember> members = membersInto.oldMembers.computeIfAbsent(group, g -> new LinkedHashMap<>());
        if (!members.containsKey(pod)) {
            members.put(pod, before);
        }
    }

    void localPod(String pod, Placed before) {
        if (!membersInto.oldLocalPods.containsKey(pod)) {
            membersInto.oldLocalPods.put(pod, before);
        }
    }

    void count(LiveGroup group, String node, int before) {
        oldCounts.computeIfAbsent(group, g -> new LinkedHashMap<>()).putIfAbsent(node, before);
    }

    void policy(PolicyRef ref, LivePolicy before) {
        if (!oldPolicies.containsKey(ref)) {
            oldPolicies.put(ref, before);
        }
    }

    /**
     * Takes in a later journal's entries for what this one has not seen: the earlier "before" wins.
     * Old members and local pods are not copied: a journal {@link #forEventOf} this one recorded them
     * here already.
     */
    void absorb(Journal later) {
        if (oldCounts.isEmpty() && oldPolicies.isEmpty()) {
            oldCounts.putAll(later.oldCounts);
            oldPolicies.putAll(later.oldPolicies);
            return;
        }
        later.oldCounts.forEach((group, counts) -> counts.forEach((node, before) -> count(group, node, before)));
        later.oldPolicies.forEach(this::policy);
    }

    int oldCount(LiveGroup group, String node) {
        Map<String, Integer> counts = oldCounts.get(group);
        Integer before = counts == null ? null : counts.get(node);
        return before != null ? before : group.count(node);
    }

    /** Nodes where the group's count went from zero to positive or back. */
    Set<String> spanFlips(LiveGroup group) {
        Set<String> flipped = new HashSet<>();
        Map<String, Integer> counts = oldCounts.get(group);
        if (counts != null) {
            counts.forEach((node, before) -> {
                if ((before > 0) != (group.count(node) > 0)) {
                    flipped.add(node);
                }
            });
        }
        return flipped;
    }

    /** The group's span before the event. */
    Set<String> oldSpan(LiveGroup group) {
        Set<String> span = new HashSet<>();
        group.nodeCounts.keySet().forEach(node -> {
            if (oldCount(group, node) > 0) {
                span.add(node);
            }
        });
        Map<String, Integer> counts = oldCounts.get(group);
        if (counts != null) {
            counts.forEach((node, before) -> {
                if (before > 0) {
                    span.add(node);
                }
            });
        }
        return span;
    }
}
