package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.PolicyRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Full compilation: {@code compile(state) -> CompiledCluster}, from scratch: v1 and 2016
 * NetworkPolicies, namespace isolation and ClusterNetworkPolicies alike ({@link PolicyInput}). The incremental
 * {@link Engine} must always agree with it; tests hold them to that.
 */
public final class Compiler {

    private Compiler() {
    }

    /**
     * Compiles every policy in force. Groups are built first (each distinct selection once), then
     * policies; both steps run in parallel over the common pool, reading the state only. The result
     * does not depend on the order of work: ids are hashes of canonical forms.
     */
    public static CompiledCluster compile(ClusterState state) {
        List<PolicyInput> inputs = new ArrayList<>();
        state.definitionsInAnyOrder().forEach(definition -> inputs.add(PolicyInput.of(definition)));
        state.clusterPolicies().forEach(definition -> inputs.add(PolicyInput.of(definition)));
        Set<PodSelection> targets = new HashSet<>();
        Set<PodSelection> peers = new HashSet<>();
        for (PolicyInput input : inputs) {
            targets.add(input.appliedTo());
            peers.addAll(input.peers());
        }
        Map<String, GroupMember> members = new ConcurrentHashMap<>();
        Map<PodSelection, CompiledCluster.Group> appliedTo = groups(targets, true, state, members);
        Map<PodSelection, CompiledCluster.Group> addresses = groups(peers, false, state, members);
        Map<PolicyRef, CompiledPolicy> policies = inputs.parallelStream().collect(Collectors.toConcurrentMap(
                PolicyInput::ref, input -> input.compile(appliedTo.get(input.appliedTo()).id(),
                        selection -> addresses.get(selection).id())));
        Map<String, CompiledCluster.Group> appliedToById = byId(appliedTo);
        Map<String, CompiledCluster.Group> addressesById = byId(addresses);
        Map<String, Set<String>> appliedToOfAddressGroup = new HashMap<>();
        for (CompiledPolicy policy : policies.values()) {
            policy.rules().forEach(rule -> rule.addressGroups().forEach(group -> appliedToOfAddressGroup
                    .computeIfAbsent(group, g -> new HashSet<>()).add(policy.appliedToGroup())));
        }
        appliedToOfAddressGroup.forEach((group, targetsOfGroup) -> targetsOfGroup
                .forEach(target -> addressesById.get(group).span().addAll(appliedToById.get(target).span())));
        return new CompiledCluster(policies, appliedToById, addressesById, localPods(state));
    }

    /** Every node's local pods: the pods bound to it that have an address ({@link LocalPod#of}). */
    private static Map<String, SortedMap<String, LocalPod>> localPods(ClusterState state) {
        Map<String, SortedMap<String, LocalPod>> byNode = new HashMap<>();
        for (PodInfo pod : state.pods().values()) {
            LocalPod.of(pod).ifPresent(local -> byNode.computeIfAbsent(pod.nodeName(), node -> new TreeMap<>())
                    .put(local.pod(), local));
        }
        return byNode;
    }

    private static Map<PodSelection, CompiledCluster.Group> groups(Set<PodSelection> selections, boolean appliedTo,
                                                                  ClusterState state, Map<String, GroupMember> members) {
        return selections.parallelStream().collect(Collectors.toConcurrentMap(selection -> selection,
                selection -> group(Membership.groupId(selection, appliedTo), selection, state, members, appliedTo)));
    }

    private static CompiledCluster.Group group(String id, PodSelection selection, ClusterState state,
                                               Map<String, GroupMember> members, boolean spanIsMemberNodes) {
        Map<String, GroupMember> selected = new HashMap<>();
        Set<String> nodes = new HashSet<>();
        for (PodInfo pod : Membership.select(selection, state)) {
            selected.put(pod.key(), members.computeIfAbsent(pod.key(), key -> GroupMember.of(pod)));
            if (pod.nodeName() != null) {
                nodes.add(pod.nodeName());
            }
        }
        // An applied-to group is needed where its members run; an address group where the rules
        // that reference it are enforced (filled in by the caller).
        return new CompiledCluster.Group(id, selection.canonical(), selected, spanIsMemberNodes ? nodes : new HashSet<>());
    }

    private static Map<String, CompiledCluster.Group> byId(Map<PodSelection, CompiledCluster.Group> groups) {
        Map<String, CompiledCluster.Group> byId = new HashMap<>();
        groups.values().forEach(group -> byId.put(group.id(), group));
        return byId;
    }
}
