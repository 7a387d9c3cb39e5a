package dev.stockade.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * What changed between two replay points, as one JSON document. "before" is the state just before
 * offset {@code fromOffset} (every record with a smaller offset applied); "after" is the state
 * after offset {@code toOffset}. Everything is sorted (nodes, ids, pods; verdicts in matrix order)
 * and empty lists are left out, so the same two points always print the same bytes.
 */
final class ReplayDiff {

    private ReplayDiff() {
    }

    /** Per-node rule changes; nodes with no change are absent. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record RulesDiff(long fromOffset, long toOffset, List<NodeDiff> nodes) {
    }

    /** One node's changes: policies gained and lost, applied-to and address group changes. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record NodeDiff(String node, PolicyChanges policies, GroupChanges appliedToGroups, GroupChanges addressGroups) {
    }

    /** Policies by id: a changed policy shows as its old id removed and its new id added. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record PolicyChanges(List<PolicyId> added, List<PolicyId> removed) {
    }

    /** A compiled policy's id and the object it comes from. */
    record PolicyId(String id, String kind, String namespace, String name) {
        static PolicyId of(CompiledPolicy policy) {
            return new PolicyId(policy.id(), policy.ref().kind().name(), policy.ref().namespace(), policy.ref().name());
        }
    }

    /** Groups gained (with their member pods), lost, and kept with other members. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record GroupChanges(List<GroupChange> added, List<GroupChange> removed, List<GroupChange> changed) {
    }

    /**
     * One group: {@code members} for a group gained; {@code joined}/{@code left} pods, and
     * {@code modified} pods whose node, IPs or named ports changed, for a group kept.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record GroupChange(String id, String selection, List<String> members, List<String> joined, List<String> left,
                       List<String> modified) {
    }

    /** Verdicts that flipped between the points, and pods (with an IP) that appeared or went. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record MatrixDiff(long fromOffset, long toOffset, List<String> probes, List<String> podsAdded,
                      List<String> podsRemoved, List<Flip> flipped) {
    }

    /** A pod pair and probe whose verdict changed. */
    record Flip(String from, String to, String protocol, int port, boolean before, boolean after) {
    }

    static RulesDiff rules(long fromOffset, long toOffset, Replayer.Snapshot before, Replayer.Snapshot after) {
        TreeSet<String> nodes = new TreeSet<>(before.ruleSets().keySet());
        nodes.addAll(after.ruleSets().keySet());
        List<NodeDiff> changed = new ArrayList<>();
        for (String node : nodes) {
            NodeDiff diff = node(node, before.ruleSet(node), after.ruleSet(node));
            if (diff.policies() != null || diff.appliedToGroups() != null || diff.addressGroups() != null) {
                changed.add(diff);
            }
        }
        return new RulesDiff(fromOffset, toOffset, changed);
    }

    static MatrixDiff matrix(long fromOffset, long toOffset, List<Probe> probes, Replayer.Snapshot before,
                             Replayer.Snapshot after) {
        Map<String, Verdict> old = new LinkedHashMap<>();
        before.verdicts(probes).forEach(verdict -> old.put(cell(verdict), verdict));
        List<Flip> flipped = new ArrayList<>();
        for (Verdict now : after.verdicts(probes)) {
            Verdict was = old.get(cell(now));
            if (was != null && was.allowed() != now.allowed()) {
                flipped.add(new Flip(now.from(), now.to(), now.protocol().name(), now.port(), was.allowed(), now.allowed()));
            }
        }
        List<String> podsBefore = before.endpoints().stream().map(Endpoint::pod).toList();
        List<String> podsAfter = after.endpoints().stream().map(Endpoint::pod).toList();
        return new MatrixDiff(fromOffset, toOffset, probes.stream().map(Probe::toString).toList(),
                minus(podsAfter, podsBefore), minus(podsBefore, podsAfter), flipped);
    }

    private static NodeDiff node(String node, NodeRuleSet before, NodeRuleSet after) {
        return new NodeDiff(node, policies(before.policies(), after.policies()),
                groups(before.appliedToGroups(), after.appliedToGroups()),
                groups(before.addressGroups(), after.addressGroups()));
    }

    private static PolicyChanges policies(SortedMap<String, CompiledPolicy> before, SortedMap<String, CompiledPolicy> after) {
        List<PolicyId> added = after.values().stream().filter(p -> !before.containsKey(p.id())).map(PolicyId::of).toList();
        List<PolicyId> removed = before.values().stream().filter(p -> !after.containsKey(p.id())).map(PolicyId::of).toList();
        return added.isEmpty() && removed.isEmpty() ? null : new PolicyChanges(added, removed);
    }

    private static GroupChanges groups(SortedMap<String, MemberGroup> before, SortedMap<String, MemberGroup> after) {
        List<GroupChange> added = new ArrayList<>();
        List<GroupChange> removed = new ArrayList<>();
        List<GroupChange> changed = new ArrayList<>();
        after.values().stream().filter(g -> !before.containsKey(g.id())).forEach(g -> added.add(
                new GroupChange(g.id(), g.selection(), List.copyOf(g.members().keySet()), null, null, null)));
        before.values().stream().filter(g -> !after.containsKey(g.id())).forEach(g -> removed.add(
                new GroupChange(g.id(), g.selection(), null, null, null, null)));
        for (MemberGroup now : after.values()) {
            MemberGroup was = before.get(now.id());
            if (was != null && !was.members().equals(now.members())) {
                changed.add(members(was, now));
            }
        }
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() ? null : new GroupChanges(added, removed, changed);
    }

    private static GroupChange members(MemberGroup was, MemberGroup now) {
        SortedMap<String, GroupMember> old = was.members();
        SortedMap<String, GroupMember> current = now.members();
        List<String> joined = minus(List.copyOf(current.keySet()), List.copyOf(old.keySet()));
        List<String> left = minus(List.copyOf(old.keySet()), List.copyOf(current.keySet()));
        List<String> modified = current.keySet().stream()
                .filter(pod -> old.containsKey(pod) && !Objects.equals(old.get(pod), current.get(pod))).toList();
        return new GroupChange(now.id(), now.selection(), null, joined, left, modified);
    }

    private static String cell(Verdict verdict) {
        return verdict.from() + " " + verdict.to() + " " + verdict.port() + "/" + verdict.protocol();
    }

    /** Elements of {@code all} not in {@code removed}, in {@code all}'s order. */
    private static List<String> minus(List<String> all, List<String> removed) {
        TreeSet<String> gone = new TreeSet<>(removed);
        return all.stream().filter(item -> !gone.contains(item)).toList();
    }
}
