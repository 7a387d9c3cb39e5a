package dev.stockade.core.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identity of one Kubernetes object: its kind, namespace ({@code ""} for cluster-scoped kinds,
 * never null) and name.
 */
public record ObjectRef(ResourceKind kind, String namespace, String name) implements Comparable<ObjectRef> {

    private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::kind)
            .thenComparing(ObjectRef::namespace)
            .thenComparing(ObjectRef::name);

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(ObjectRef other) {
        return ORDER.compare(this, other);
    }

    /** {@code Kind ns/name}, or {@code Kind name} for cluster-scoped objects. */
    @Override
    public String toString() {
        return kind.displayName() + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
