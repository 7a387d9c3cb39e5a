package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.PolicyRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The incremental compiler: {@code apply(event)} returns the per-node deltas the event causes.
 *
 * <p>How: the engine keeps live groups with span counts (Antrea's span model). An event changes
 * the cluster state, then policies (acquiring and releasing groups), then group members, then
 * span counts; each first touch is recorded in a {@link Journal}. The deltas are the per-node
 * difference between the journal's "before" and the state after, so cost grows with what the
 * event affects, not with cluster size. Each node also gets the changes to its local pods (every
 * pod bound to it that has an address, {@link LocalPods}). Policies of every kind, ClusterNetworkPolicies
 * included, go through the same groups and spans ({@link PolicyInput}). The same event sequence gives
 * byte-identical deltas: everything emitted is sorted. Folding the deltas equals
 * {@link Compiler#compile} of the final state, which the property tests check.
 */
public final class Engine {

    private final ClusterState state = new ClusterState();
    private final Map<PodSelection, LiveGroup> appliedToGroups = new HashMap<>();
    private final Map<PodSelection, LiveGroup> addressGroups = new HashMap<>();
    private final Map<String, Set<LiveGroup>> groupsByNamespace = new HashMap<>();
    private final Set<LiveGroup> crossNamespaceGroups = new LinkedHashSet<>();
    private final Map<PolicyRef, LivePolicy> policies = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();
    private final LocalPods localPods = new LocalPods();
    private Step openStep;
    private boolean failed;

    /** Applies one watch event; returns the non-empty per-node deltas and any rejections. */
    public ApplyResult apply(ResourceEvent event) {
        Step step = step();
        List<Rejection> rejections = step.apply(event);
        return new ApplyResult(step.finish(), rejections);
    }

    /**
     * Starts a step: events applied through it change the state at once, and {@link Step#finish()}
     * then gives one delta per node for all of them, the difference between the node's rule set
     * before the step's first event and after its last, one generation each. A node touched by
     * several events of a step gets one delta instead of several (a pod and its peers arriving
     * together, a policy and the pods it selects), and a pod change undone within the step none (a
     * group released and acquired again within it is sent again, removed and added). The fold of
     * the steps' deltas equals the fold of per-event deltas (property-tested).
     *
     * <p>Until it finishes, no other event may be applied to this engine: its deltas would be lost.
     * An exception while applying (a bug: invalid input is a rejection) leaves the state changed
     * with no delta for it, so the engine refuses any further use; rebuild it ({@link #restore}).
     */
    public Step step() {
        if (failed) {
            throw new IllegalStateException("this engine failed while applying an event: rebuild it");
        }
        if (openStep != null) {
            throw new IllegalStateException("a step is open: finish it before applying other events");
        }
        openStep = new Step();
        return openStep;
    }

    /** Events applied as one step; see {@link Engine#step()}. */
    public final class Step {

        /** The "before" of everything the step's events touched: each event's journal, first touch kept. */
        private final Journal journal = new Journal();

        private Step() {
        }

        /**
         * Applies one watch event; its deltas wait for {@link #finish()}. Returns its rejections. An
         * exception ends the step and the engine's use ({@link Engine#step()}).
         */
        public List<Rejection> apply(ResourceEvent event) {
            if (openStep != this) {
                throw new IllegalStateException("this step has finished");
            }
            try {
                StateChange change = state.apply(event);
                Journal eventJournal = Journal.forEventOf(journal);
                change.definitions().forEach((ref, definition) -> setPolicy(ref,
                        definition == null ? null : PolicyInput.of(definition), eventJournal));
                change.clusterPolicies().forEach((ref, definition) -> setPolicy(ref,
                        definition == null ? null : PolicyInput.of(definition), eventJournal));
                change.pods().forEach(pod -> updateMembership(pod.before(), pod.after(), eventJournal));
                change.pods().forEach(pod -> localPods.update(pod.before(), pod.after(), eventJournal));
                change.relabeledNamespaces().forEach(namespace -> refreshNamespace(namespace, eventJournal));
                // Spans move relative to the event's own "before"; the step's deltas use the earliest one.
                propagateSpans(eventJournal);
                journal.absorb(eventJournal);
                return change.rejections();
            } catch (RuntimeException | Error e) {
                openStep = null;
                failed = true;
                throw e;
            }
        }

        /** Ends the step: the non-empty per-node deltas of all its events, sorted by node. */
        public List<NodeDelta> finish() {
            if (openStep != this) {
                throw new IllegalStateException("this step has finished");
            }
            openStep = null;
            return emit(journal);
        }
    }

    /**
     * An engine holding exactly these objects, with the nodes' generations as given, as a replica
     * taking over from replicated state needs it: nothing is emitted while it is rebuilt, and the
     * next event's deltas continue each node's generations. The compiled state, and so every later
     * delta, does not depend on the order the objects come in.
     */
    public static Engine restore(Collection<? extends Resource> resources, Map<String, Long> generations) {
        Engine engine = new Engine();
        resources.forEach(resource -> engine.apply(ResourceEvent.added(resource)));
        engine.generations.clear();
        engine.generations.putAll(generations);
        return engine;
    }

    /** Every node's generation (nodes that never had a delta are absent). */
    public Map<String, Long> generations() {
        return java.util.Collections.unmodifiableMap(generations);
    }

    /** The cluster state after every event so far (read-only use). */
    public ClusterState state() {
        return state;
    }

    /** The generation of a node's last delta; 0 when it has had none. */
    public long generation(String node) {
        return generations.getOrDefault(node, 0L);
    }

    /** What a node enforces now: the fold of its deltas so far. */
    public NodeRuleSet ruleSet(String node) {
        TreeMap<String, CompiledPolicy> nodePolicies = new TreeMap<>();
        TreeMap<String, MemberGroup> nodeAppliedTo = new TreeMap<>();
        TreeMap<String, MemberGroup> nodeAddresses = new TreeMap<>();
        for (LivePolicy policy : policies.values()) {
            if (policy.appliedTo().count(node) > 0) {
                nodePolicies.put(policy.compiled().id(), policy.compiled());
                nodeAppliedTo.computeIfAbsent(policy.appliedTo().id, id -> policy.appliedTo().viewFor(node));
                policy.addressGroups().forEach(group -> nodeAddresses.computeIfAbsent(group.id, id -> group.viewFor(node)));
            }
        }
        return new NodeRuleSet(node, nodePolicies, nodeAppliedTo, nodeAddresses, localPods.of(node));
    }

    /** Every node that has anything to enforce or any local pod, sorted. */
    public Set<String> nodes() {
        Set<String> nodes = new TreeSet<>(localPods.nodes());
        appliedToGroups.values().forEach(group -> nodes.addAll(group.nodeCounts.keySet()));
        return nodes;
    }

    // ---- policies and groups ------------------------------------------------------------------

    /** Puts a policy of any kind in force ({@code input} non-null) or out of it (null). */
    private void setPolicy(PolicyRef ref, PolicyInput input, Journal journal) {
        LivePolicy before = policies.get(ref);
        journal.policy(ref, before);
        LivePolicy after = null;
        if (input == null) {
            policies.remove(ref);
        } else {
            LiveGroup target = acquire(appliedToGroups, input.appliedTo(), ref, true, journal);
            List<LiveGroup> peers = input.peers().stream()
                    .map(selection -> acquire(addressGroups, selection, ref, false, journal)).toList();
            CompiledPolicy compiled = input.compile(target.id, selection -> addressGroups.get(selection).id);
            after = new LivePolicy(compiled, target, peers);
            policies.put(ref, after);
        }
        if (before != null) {
            List<LiveGroup> kept = after == null ? List.of() : after.groups();
            before.groups().stream().filter(group -> !kept.contains(group)).forEach(group -> release(group, ref, journal));
        }
    }

    private LiveGroup acquire(Map<PodSelection, LiveGroup> registry, PodSelection selection, PolicyRef ref,
                              boolean appliedTo, Journal journal) {
        LiveGroup group = registry.get(selection);
        if (group == null) {
            String id = Membership.groupId(selection, appliedTo);
            group = new LiveGroup(id, selection, appliedTo);
            registry.put(selection, group);
            index(group, true);
            for (PodInfo pod : Membership.select(selection, state)) {
                setMember(group, pod.key(), GroupMember.of(pod), journal);
            }
        }
        group.policies.add(ref);
        return group;
    }

    private void release(LiveGroup group, PolicyRef ref, Journal journal) {
        group.policies.remove(ref);
        if (!group.policies.isEmpty()) {
            return;
        }
        new ArrayList<>(group.members.keySet()).forEach(pod -> setMember(group, pod, null, journal));
        (group.appliedTo ? appliedToGroups : addressGroups).remove(group.selection);
        index(group, false);
    }

    private void index(LiveGroup group, boolean add) {
        String scope = group.selection.namespaceScope().orElse(null);
        if (scope == null) {
            if (add) {
                crossNamespaceGroups.add(group);
            } else {
                crossNamespaceGroups.remove(group);
            }
        } else if (add) {
            groupsByNamespace.computeIfAbsent(scope, ns -> new LinkedHashSet<>()).add(group);
        } else {
            Set<LiveGroup> inNamespace = groupsByNamespace.get(scope);
            inNamespace.remove(group);
            if (inNamespace.isEmpty()) {
                groupsByNamespace.remove(scope);
            }
        }
    }

    // ---- membership ---------------------------------------------------------------------------

    private void updateMembership(PodInfo before, PodInfo after, Journal journal) {
        PodInfo pod = after != null ? after : before;
        Map<String, String> namespaceLabels = state.namespaceLabels(pod.namespace());
        GroupMember member = after == null ? null : GroupMember.of(after);
        for (LiveGroup group : candidates(pod.namespace())) {
            boolean belongs = after != null && group.selection.matches(after, namespaceLabels);
            setMember(group, pod.key(), belongs ? member : null, journal);
        }
    }

    private void refreshNamespace(String namespace, Journal journal) {
        Map<String, String> namespaceLabels = state.namespaceLabels(namespace);
        for (LiveGroup group : List.copyOf(crossNamespaceGroups)) {
            for (PodInfo pod : state.podsIn(namespace)) {
                boolean belongs = group.selection.matches(pod, namespaceLabels);
                setMember(group, pod.key(), belongs ? GroupMember.of(pod) : null, journal);
            }
        }
    }

    private List<LiveGroup> candidates(String namespace) {
        List<LiveGroup> candidates = new ArrayList<>(groupsByNamespace.getOrDefault(namespace, Set.of()));
        candidates.addAll(crossNamespaceGroups);
        return candidates;
    }

    private void setMember(LiveGroup group, String pod, GroupMember member, Journal journal) {
        GroupMember before = group.members.get(pod);
        if (Objects.equals(before, member)) {
            return;
        }
        journal.member(group, pod, before);
        if (before != null) {
            group.members.remove(pod);
            if (group.appliedTo && before.node() != null) {
                addCount(group, before.node(), -1, journal);
            }
        }
        if (member != null) {
            group.members.put(pod, member);
            if (group.appliedTo && member.node() != null) {
                addCount(group, member.node(), 1, journal);
            }
        }
    }

    private void addCount(LiveGroup group, String node, int delta, Journal journal) {
        int before = group.count(node);
        journal.count(group, node, before);
        if (before + delta == 0) {
            group.nodeCounts.remove(node);
        } else {
            group.nodeCounts.put(node, before + delta);
        }
    }

    // ---- spans --------------------------------------------------------------------------------

    /**
     * An address group is needed on every node where a policy referencing it is enforced. Policies
     * that changed move their whole contribution; unchanged policies move only where their
     * applied-to group's span flipped.
     */
    private void propagateSpans(Journal journal) {
        Set<PolicyRef> changed = journal.oldPolicies.keySet();
        for (Map.Entry<PolicyRef, LivePolicy> entry : journal.oldPolicies.entrySet()) {
            LivePolicy before = entry.getValue();
            LivePolicy after = policies.get(entry.getKey());
            if (before != null) {
                contribute(before, journal.oldSpan(before.appliedTo()), -1, journal);
            }
            if (after != null) {
                contribute(after, after.appliedTo().nodeCounts.keySet(), 1, journal);
            }
        }
        List<LiveGroup> appliedToTouched = journal.oldCounts.keySet().stream().filter(group -> group.appliedTo).toList();
        for (LiveGroup group : appliedToTouched) {
            Set<String> flips = journal.spanFlips(group);
            for (PolicyRef ref : group.policies) {
                if (changed.contains(ref)) {
                    continue;
                }
                LivePolicy policy = policies.get(ref);
                for (String node : flips) {
                    contribute(policy, Set.of(node), group.count(node) > 0 ? 1 : -1, journal);
                }
            }
        }
    }

    private void contribute(LivePolicy policy, Set<String> nodes, int delta, Journal journal) {
        for (String node : List.copyOf(nodes)) {
            for (LiveGroup group : policy.addressGroups()) {
                addCount(group, node, delta, journal);
            }
        }
    }

    // ---- deltas -------------------------------------------------------------------------------

    private List<NodeDelta> emit(Journal journal) {
        Map<String, DeltaBuilder> builders = new TreeMap<>();
        emitPolicies(journal, builders);
        journal.oldMembers.forEach((group, changed) -> {
            if (group.appliedTo) {
                emitAppliedTo(group, changed, journal, builders);
            }
        });
        Set<LiveGroup> addressTouched = new LinkedHashSet<>();
        journal.oldMembers.keySet().stream().filter(group -> !group.appliedTo).forEach(addressTouched::add);
        journal.oldCounts.keySet().stream().filter(group -> !group.appliedTo).forEach(addressTouched::add);
        addressTouched.forEach(group -> emitAddresses(group, journal.oldMembers.get(group), journal, builders));
        localPods.emit(journal, state, node -> builder(builders, node));
        List<NodeDelta> deltas = new ArrayList<>();
        builders.forEach((node, builder) -> {
            if (!builder.isEmpty()) {
                deltas.add(builder.build(node, generations.merge(node, 1L, Long::sum)));
            }
        });
        return deltas;
    }

    private void emitPolicies(Journal journal, Map<String, DeltaBuilder> builders) {
        journal.oldPolicies.forEach((ref, before) -> {
            LivePolicy after = policies.get(ref);
            Set<String> oldSpan = before == null ? Set.of() : journal.oldSpan(before.appliedTo());
            Set<String> newSpan = after == null ? Set.of() : after.appliedTo().nodeCounts.keySet();
            Set<String> nodes = new HashSet<>(oldSpan);
            nodes.addAll(newSpan);
            for (String node : nodes) {
                boolean was = oldSpan.contains(node);
                boolean is = newSpan.contains(node);
                if (was && is && before.compiled().id().equals(after.compiled().id())) {
                    continue;
                }
                if (was) {
                    builder(builders, node).removedPolicies.add(before.compiled().id());
                }
                if (is) {
                    builder(builders, node).addedPolicies.add(after.compiled());
                }
            }
        });
        journal.oldCounts.keySet().stream().filter(group -> group.appliedTo).forEach(group -> {
            Set<String> flips = journal.spanFlips(group);
            for (PolicyRef ref : group.policies) {
                if (journal.oldPolicies.containsKey(ref)) {
                    continue;
                }
                CompiledPolicy compiled = policies.get(ref).compiled();
                for (String node : flips) {
                    if (group.count(node) > 0) {
                        builder(builders, node).addedPolicies.add(compiled);
                    } else {
                        builder(builders, node).removedPolicies.add(compiled.id());
                    }
                }
            }
        });
    }

    private void emitAppliedTo(LiveGroup group, Map<String, GroupMember> changed, Journal journal,
                               Map<String, DeltaBuilder> builders) {
        Set<String> nodes = new HashSet<>();
        changed.forEach((pod, before) -> {
            if (before != null && before.node() != null) {
                nodes.add(before.node());
            }
            GroupMember after = group.members.get(pod);
            if (after != null && after.node() != null) {
                nodes.add(after.node());
            }
        });
        for (String node : nodes) {
            boolean was = journal.oldCount(group, node) > 0;
            boolean is = group.count(node) > 0;
            DeltaBuilder builder = builder(builders, node);
            if (was && !is) {
                builder.appliedTo.removed.add(group.id);
            } else if (!was && is) {
                builder.appliedTo.added.add(group.viewFor(node));
            } else if (was) {
                patchMembers(group, changed, node, builder.appliedTo);
            }
        }
    }

    private void emitAddresses(LiveGroup group, Map<String, GroupMember> changed, Journal journal,
                               Map<String, DeltaBuilder> builders) {
        Set<String> nodes = new HashSet<>(journal.oldSpan(group));
        nodes.addAll(group.nodeCounts.keySet());
        MemberGroup view = null;
        for (String node : nodes) {
            boolean was = journal.oldCount(group, node) > 0;
            boolean is = group.count(node) > 0;
            if (was && !is) {
                builder(builders, node).addresses.removed.add(group.id);
            } else if (!was && is) {
                view = view != null ? view : group.viewFor(node);
                builder(builders, node).addresses.added.add(view);
            } else if (was && changed != null) {
                patchMembers(group, changed, null, builder(builders, node).addresses);
            }
        }
    }

    /** Members that left or changed, then members that joined or changed; {@code node} null = all. */
    private static void patchMembers(LiveGroup group, Map<String, GroupMember> changed, String node,
                                     DeltaBuilder.Groups into) {
        List<GroupMember> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (String pod : new TreeSet<>(changed.keySet())) {
            GroupMember before = onNode(changed.get(pod), node);
            GroupMember after = onNode(group.members.get(pod), node);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (before != null) {
                left.add(pod);
            }
            if (after != null) {
                joined.add(after);
            }
        }
        into.patch(group.id, joined, left);
    }

    private static GroupMember onNode(GroupMember member, String node) {
        return member == null || node == null || node.equals(member.node()) ? member : null;
    }

    private static DeltaBuilder builder(Map<String, DeltaBuilder> builders, String node) {
        return builders.computeIfAbsent(node, n -> new DeltaBuilder());
    }
}
