package dev.stockade.core.compiled;

import dev.stockade.core.model.Protocol;

/** A named container port of a group member, already resolved: name, protocol and number. */
public record NamedPort(String name, Protocol protocol, int port) implements Comparable<NamedPort> {

    @Override
    public int compareTo(NamedPort other) {
        int byName = name.compareTo(other.name);
        if (byName != 0) {
            return byName;
        }
        int byProtocol = protocol.compareTo(other.protocol);
        return byProtocol != 0 ? byProtocol : Integer.compare(port, other.port);
    }
}
