package dev.stockade.core.policy;

import java.util.Comparator;

/**
 * Which policy a compiled object comes from: kind, namespace and name. For
 * {@link PolicyKind#NamespaceIsolation} the name is the annotation that isolates; for the two
 * ClusterNetworkPolicy kinds the namespace is empty (the object is cluster-scoped).
 */
public record PolicyRef(PolicyKind kind, String namespace, String name) implements Comparable<PolicyRef> {

    private static final Comparator<PolicyRef> ORDER = Comparator.comparing(PolicyRef::kind)
            .thenComparing(PolicyRef::namespace).thenComparing(PolicyRef::name);

    @Override
    public int compareTo(PolicyRef other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
