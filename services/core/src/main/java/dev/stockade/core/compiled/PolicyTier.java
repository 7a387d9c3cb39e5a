package dev.stockade.core.compiled;

import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.Tier;
import java.util.Optional;

/**
 * The stage of a node's evaluation a compiled policy belongs to, in evaluation order: the Admin
 * tier of ClusterNetworkPolicies, then the NetworkPolicy tier (v1 and 2016 policies and namespace
 * isolation, final for an isolated pod), then the Baseline tier, then the default (allow). See
 * {@code services/core/CLUSTER-NETWORK-POLICY.md}, "Compiled form".
 */
public enum PolicyTier {
    ADMIN, NETWORK_POLICY, BASELINE;

    /** The tier a policy of this kind is evaluated in. */
    public static PolicyTier of(PolicyKind kind) {
        return kind == PolicyKind.AdminClusterNetworkPolicy ? ADMIN
                : kind == PolicyKind.BaselineClusterNetworkPolicy ? BASELINE : NETWORK_POLICY;
    }

    /** The ClusterNetworkPolicy tier this is; empty for the NetworkPolicy tier. */
    public Optional<Tier> clusterTier() {
        return this == ADMIN ? Optional.of(Tier.ADMIN) : this == BASELINE ? Optional.of(Tier.BASELINE) : Optional.empty();
    }

    /** The name on the wire; {@link #parse} reads it back. */
    public static Optional<PolicyTier> parse(String text) {
        for (PolicyTier tier : values()) {
            if (tier.name().equals(text)) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }
}
