package dev.stockade.events.v1;

import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.ResourceKind;
import java.util.Optional;

/**
 * Key of a {@code stockade.resources} record: {@code Kind/namespace/name}, namespace empty for
 * cluster-scoped kinds ({@code Namespace//tenant-a}, {@code ClusterNetworkPolicy//deny-monitoring}).
 * Kinds: Namespace, Pod, Node, NetworkPolicy, LegacyNetworkPolicy, ClusterNetworkPolicy. The topic is compacted on this key; a null value (tombstone) means deleted.
 */
public record ResourceKey(ResourceKind kind, String namespace, String name) {

    public static ResourceKey of(ObjectRef ref) {
        return new ResourceKey(ref.kind(), ref.namespace(), ref.name());
    }

    public ObjectRef ref() {
        return new ObjectRef(kind, namespace, name);
    }

    public String encode() {
        return kind.displayName() + "/" + namespace + "/" + name;
    }

    /** Empty when the text is not a key of this form. */
    public static Optional<ResourceKey> decode(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split("/", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return Optional.empty();
        }
        for (ResourceKind kind : ResourceKind.values()) {
            if (kind.displayName().equals(parts[0])) {
                return Optional.of(new ResourceKey(kind, parts[1], parts[2]));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return encode();
    }
}
