package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.kube.KubeObjectConverter;
import java.util.Optional;

/** The {@code stockade.resources} key of a Kubernetes object. */
final class ResourceKeys {

    private static final KubeObjectConverter CONVERTER = new KubeObjectConverter();

    private ResourceKeys() {
    }

    /**
     * {@code Kind/namespace/name} (namespace {@code default} when a namespaced object has none);
     * empty for kinds Stockade does not read and for objects without a name.
     */
    static Optional<ResourceKey> of(JsonNode object) {
        return CONVERTER.identity(object).map(resource -> ResourceKey.of(resource.ref()));
    }
}
