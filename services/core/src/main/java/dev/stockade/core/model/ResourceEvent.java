package dev.stockade.core.model;

import java.util.Objects;

/**
 * One watch event: ADDED and MODIFIED carry the object's new state (an upsert either way);
 * DELETED carries at least the object's identity.
 */
public record ResourceEvent(EventType type, Resource resource) {

    public ResourceEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(resource, "resource");
    }

    public static ResourceEvent added(Resource resource) {
        return new ResourceEvent(EventType.ADDED, resource);
    }

    public static ResourceEvent modified(Resource resource) {
        return new ResourceEvent(EventType.MODIFIED, resource);
    }

    public static ResourceEvent deleted(Resource resource) {
        return new ResourceEvent(EventType.DELETED, resource);
    }
}
