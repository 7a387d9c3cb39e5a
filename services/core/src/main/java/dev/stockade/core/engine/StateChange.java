package dev.stockade.core.engine;

import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.policy.ClusterPolicyDefinition;
import dev.stockade.core.policy.PolicyDefinition;
import dev.stockade.core.policy.PolicyRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one event changed in a {@link ClusterState}: pods (old and new, null for absent),
 * namespaces whose labels changed, policy definitions (new, null when removed), ClusterNetworkPolicies
 * in force (likewise) and rejections.
 */
public final class StateChange {

    /** One pod before and after; null stands for "absent". */
    public record PodChange(PodInfo before, PodInfo after) {
    }

    private final List<PodChange> pods = new ArrayList<>();
    private final Set<String> relabeledNamespaces = new LinkedHashSet<>();
    private final Map<PolicyRef, PolicyDefinition> definitions = new LinkedHashMap<>();
    private final Map<PolicyRef, ClusterPolicyDefinition> clusterPolicies = new LinkedHashMap<>();
    private final List<Rejection> rejections = new ArrayList<>();

    void pod(PodInfo before, PodInfo after) {
        if (before != null || after != null) {
            pods.add(new PodChange(before, after));
        }
    }

    void relabeled(String namespace) {
        relabeledNamespaces.add(namespace);
    }

    void definition(PolicyRef ref, PolicyDefinition definition) {
        definitions.put(ref, definition);
    }

    void clusterPolicy(PolicyRef ref, ClusterPolicyDefinition definition) {
        clusterPolicies.put(ref, definition);
    }

    void rejected(List<Rejection> found) {
        rejections.addAll(found);
    }

    public List<PodChange> pods() {
        return pods;
    }

    public Set<String> relabeledNamespaces() {
        return relabeledNamespaces;
    }

    /** Changed definitions in the order they changed; a null value means removed. */
    public Map<PolicyRef, PolicyDefinition> definitions() {
        return definitions;
    }

    /**
     * Changed ClusterNetworkPolicies in force, in the order they changed; a null value means no longer
     * in force under that ref (deleted, or moved to the other tier, whose kind is part of the ref).
     */
    public Map<PolicyRef, ClusterPolicyDefinition> clusterPolicies() {
        return clusterPolicies;
    }

    public List<Rejection> rejections() {
        return rejections;
    }
}
