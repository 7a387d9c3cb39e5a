package dev.stockade.events.v1;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Value of a {@code stockade.resources} record: the Kubernetes object as the listener saw it,
 * trimmed to the fields the compiler reads (metadata name, namespace, labels, annotations,
 * resourceVersion; the spec and status fields of its kind), the object's resourceVersion and the
 * time the listener observed it (epoch milliseconds). Deletions are tombstones (null values).
 */
public record ResourceRecord(int schemaVersion, String resourceVersion, long observedAtMillis, JsonNode object) {

    public static final int VERSION = 1;

    public static ResourceRecord of(String resourceVersion, long observedAtMillis, JsonNode object) {
        return new ResourceRecord(VERSION, resourceVersion, observedAtMillis, object);
    }
}
