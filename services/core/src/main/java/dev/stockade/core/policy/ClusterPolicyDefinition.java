package dev.stockade.core.policy;

import java.util.Comparator;
import java.util.List;

/**
 * A validated ClusterNetworkPolicy: its tier, its priority within the tier, the pods it applies to
 * ({@code subject}; never hostNetwork pods, which have no address of their own) and its rules per
 * direction, each list in precedence order. A policy with no rules of a direction does not affect
 * that direction.
 */
public record ClusterPolicyDefinition(String name, Tier tier, int priority, PodSelection subject,
                                      List<ClusterRule> ingress, List<ClusterRule> egress) {

    /**
     * The order policies are evaluated in: tier (Admin before Baseline), then priority (lower
     * first), then name. Upstream leaves the order of equal priorities in one tier undefined
     * ("the implementation can apply any of the matching policies"); Stockade breaks the tie by
     * {@code metadata.name}, which is unique for this cluster-scoped kind, so the order is total.
     */
    public static final Comparator<ClusterPolicyDefinition> PRECEDENCE = Comparator
            .comparing(ClusterPolicyDefinition::tier)
            .thenComparingInt(ClusterPolicyDefinition::priority)
            .thenComparing(ClusterPolicyDefinition::name);

    public ClusterPolicyDefinition {
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    /** Which policy this is, for compiled objects and deny logs: its tier's kind, no namespace, its name. */
    public PolicyRef ref() {
        return new PolicyRef(PolicyKind.of(tier), "", name);
    }

    /** The rules of one direction, in precedence order. */
    public List<ClusterRule> rules(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }
}
