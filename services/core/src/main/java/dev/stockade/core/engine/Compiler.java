package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.PolicyDefinition;
import dev.stockade.core.policy.PolicyRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Full compilation: {@code compile(state) -> CompiledCluster}, from scratch. The incremental
 * {@link Engine} must always agree with it; tests hold them to that.
 */
public final class Compiler {

    private Compiler() {
    }

    public static CompiledCluster compile(ClusterState state) {
        Map<String, GroupMember> members = new HashMap<>();
        Map<PodSelection, CompiledCluster.Group> appliedTo = new HashMap<>();
        Map<PodSelection, CompiledCluster.Group> addresses = new HashMap<>();
        Map<PolicyRef, CompiledPolicy> policies = new HashMap<>();
        for (PolicyDefinition definition : state.definitionsInAnyOrder()) {
            CompiledCluster.Group target = appliedTo.computeIfAbsent(definition.appliedTo(),
                    selection -> group(Membership.appliedToGroupId(selection), selection, state, members, true));
            CompiledPolicy policy = PolicyCompiler.compile(definition, target.id(), selection -> addresses
                    .computeIfAbsent(selection, s -> group(Membership.addressGroupId(s), s, state, members, false)).id());
            policies.put(definition.ref(), policy);
        }
        Map<String, CompiledCluster.Group> appliedToById = byId(appliedTo);
        Map<String, CompiledCluster.Group> addressesById = byId(addresses);
        Map<String, Set<String>> appliedToOfAddressGroup = new HashMap<>();
        for (CompiledPolicy policy : policies.values()) {
            policy.rules().forEach(rule -> rule.addressGroups().forEach(group -> appliedToOfAddressGroup
                    .computeIfAbsent(group, g -> new HashSet<>()).add(policy.appliedToGroup())));
        }
        appliedToOfAddressGroup.forEach((group, targets) -> targets
                .forEach(target -> addressesById.get(group).span().addAll(appliedToById.get(target).span())));
        return new CompiledCluster(policies, appliedToById, addressesById);
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
