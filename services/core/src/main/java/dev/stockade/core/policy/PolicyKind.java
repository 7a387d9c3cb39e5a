package dev.stockade.core.policy;

/** What a compiled policy comes from. */
public enum PolicyKind {
    /** A {@code networking.k8s.io/v1} NetworkPolicy. */
    NetworkPolicy,
    /** A 2016 {@code net.alpha.kubernetes.io/v1alpha1} NetworkPolicy: adds allows, never isolates. */
    LegacyNetworkPolicy,
    /**
     * A namespace's 2016 isolation annotation ({@code net.alpha.kubernetes.io/network-isolation: on}
     * or the beta {@code DefaultDeny}): ingress-isolates every pod of the namespace, allows nothing.
     */
    NamespaceIsolation,
    /** A {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy of the Admin tier (namespace empty). */
    AdminClusterNetworkPolicy,
    /** A {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy of the Baseline tier (namespace empty). */
    BaselineClusterNetworkPolicy;

    /** The kind of a ClusterNetworkPolicy of {@code tier}. */
    public static PolicyKind of(Tier tier) {
        return tier == Tier.ADMIN ? AdminClusterNetworkPolicy : BaselineClusterNetworkPolicy;
    }
}
