package dev.stockade.core.model;

/** One cluster object as the engine sees it: only the fields the compiler needs. */
public sealed interface Resource
        permits NamespaceInfo, PodInfo, NodeInfo, NetworkPolicyInfo, LegacyPolicyInfo, ClusterNetworkPolicyInfo {

    /** The object's identity. */
    ObjectRef ref();
}
