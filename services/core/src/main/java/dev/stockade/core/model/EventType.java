package dev.stockade.core.model;

/** The Kubernetes watch event types. */
public enum EventType {
    ADDED, MODIFIED, DELETED
}
