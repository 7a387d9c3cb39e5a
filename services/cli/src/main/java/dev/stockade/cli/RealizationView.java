package dev.stockade.cli;

import dev.stockade.events.v1.RuleDeltaRecord;
import dev.stockade.events.v1.RuleSetRecord;
import dev.stockade.events.v1.StatusRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each policy is in force, from the two topics that say it: the fold of {@code stockade.rules}
 * per node (which compiled policies each node's rule set holds, and the generation at which each
 * arrived there — a policy's id is the hash of its compiled form, so a changed policy arrives under a
 * new id) and the latest realized generation per node from {@code stockade.status}. A node realizes a
 * policy when its realized generation is at least the generation at which it got the policy's current
 * version. Records must be given in per-node order (the topics' per-partition order).
 */
final class RealizationView {

    /** A policy's identity as printed: kind, namespace, name. */
    record PolicyKey(String kind, String namespace, String name) implements Comparable<PolicyKey> {
        @Override
        public int compareTo(PolicyKey other) {
            return (namespace + "/" + name + "/" + kind).compareTo(other.namespace + "/" + other.name + "/" + other.kind);
        }
    }

    /** One node of a policy's span: the generation at which it got the current version; its realized generation (-1 = none). */
    record NodeRealization(String node, long generation, long realizedGeneration) {
        boolean realized() {
            return realizedGeneration >= generation;
        }
    }

    /** A policy: the nodes in its span (sorted) and, per node, whether it is in force. */
    record PolicyRealization(PolicyKey policy, List<NodeRealization> nodes) {
        long realizedCount() {
            return nodes.stream().filter(NodeRealization::realized).count();
        }
    }

    /** A policy held by a node: its key and the generation at which this version arrived. */
    private record Held(PolicyKey key, long since) {
    }

    private final Map<String, Map<String, Held>> held = new HashMap<>();
    private final Map<String, Long> realized = new HashMap<>();

    void delta(RuleDeltaRecord delta) {
        Map<String, Held> node = held.computeIfAbsent(delta.node(), key -> new HashMap<>());
        delta.policies().removed().forEach(node::remove);
        for (RuleDeltaRecord.Policy policy : delta.policies().added()) {
            node.put(policy.id(), new Held(key(policy), delta.generation()));
        }
    }

    /** A snapshot replaces the node's set; policies it already held keep the generation they arrived at. */
    void snapshot(RuleSetRecord snapshot) {
        Map<String, Held> before = held.getOrDefault(snapshot.node(), Map.of());
        Map<String, Held> after = new HashMap<>();
        for (RuleDeltaRecord.Policy policy : snapshot.policies()) {
            Held kept = before.get(policy.id());
            after.put(policy.id(), kept != null ? kept : new Held(key(policy), snapshot.generation()));
        }
        held.put(snapshot.node(), after);
    }

    void status(StatusRecord status) {
        if (StatusRecord.REALIZED.equals(status.type()) && status.node() != null && status.generation() != null) {
            realized.merge(status.node(), status.generation(), Math::max);
        }
    }

    /** Every policy some node holds, sorted by namespace, name and kind. */
    List<PolicyRealization> policies() {
        Map<PolicyKey, Map<String, Long>> spans = new TreeMap<>();
        held.forEach((node, policies) -> policies.values().forEach(policy ->
                spans.computeIfAbsent(policy.key(), key -> new TreeMap<>()).merge(node, policy.since(), Math::max)));
        List<PolicyRealization> rows = new ArrayList<>();
        spans.forEach((key, nodes) -> {
            List<NodeRealization> span = new ArrayList<>();
            nodes.forEach((node, since) -> span.add(new NodeRealization(node, since, realized.getOrDefault(node, -1L))));
            rows.add(new PolicyRealization(key, span));
        });
        return rows;
    }

    private static PolicyKey key(RuleDeltaRecord.Policy policy) {
        return new PolicyKey(policy.kind(), policy.namespace(), policy.name());
    }
}
