package dev.stockade.core.model;

/** The Kubernetes resource kinds the engine understands. */
public enum ResourceKind {
    NAMESPACE("Namespace"),
    POD("Pod"),
    NODE("Node"),
    /** {@code networking.k8s.io/v1} NetworkPolicy. */
    NETWORK_POLICY("NetworkPolicy"),
    /** The 2016 {@code net.alpha.kubernetes.io/v1alpha1} NetworkPolicy (CRD plural {@code networkpolicys}). */
    LEGACY_NETWORK_POLICY("LegacyNetworkPolicy"),
    /** {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy (cluster-scoped; the Admin and Baseline tiers). */
    CLUSTER_NETWORK_POLICY("ClusterNetworkPolicy");

    private final String displayName;

    ResourceKind(String displayName) {
        this.displayName = displayName;
    }

    /** The name people read: {@code NetworkPolicy}, {@code LegacyNetworkPolicy}, ... */
    public String displayName() {
        return displayName;
    }
}
