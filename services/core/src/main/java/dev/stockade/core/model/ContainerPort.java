package dev.stockade.core.model;

/**
 * A port a pod's container declares. {@code name} is null when the port is unnamed; only named
 * ports can be targets of a named NetworkPolicy port.
 */
public record ContainerPort(String name, int port, Protocol protocol) {
}
