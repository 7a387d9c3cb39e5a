package dev.stockade.core.policy;

import dev.stockade.core.model.Protocol;

/**
 * A validated port of a rule: a protocol with either a numeric range {@code from..to}
 * (a single port has {@code from == to}; "every port of the protocol" is {@code 1..65535}) or a
 * named port ({@code name} non-null; resolved on the destination pod, protocol must match).
 */
public record PortMatch(Protocol protocol, int from, int to, String name) implements Comparable<PortMatch> {

    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65535;

    /** Every port of a protocol. */
    public static PortMatch allOf(Protocol protocol) {
        return new PortMatch(protocol, MIN_PORT, MAX_PORT, null);
    }

    /** A numeric range; {@code from == to} for one port. */
    public static PortMatch range(Protocol protocol, int from, int to) {
        return new PortMatch(protocol, from, to, null);
    }

    /** A named port. */
    public static PortMatch named(Protocol protocol, String name) {
        return new PortMatch(protocol, 0, 0, name);
    }

    public boolean isNamed() {
        return name != null;
    }

    /** True for a numeric match of this protocol and port; named ports never match here. */
    public boolean matchesNumeric(Protocol probeProtocol, int port) {
        return name == null && protocol == probeProtocol && port >= from && port <= to;
    }

    /** {@code TCP/80}, {@code TCP/80-90}, {@code UDP/*}, {@code TCP/serve-80-tcp}. */
    public String canonical() {
        if (name != null) {
            return protocol + "/" + name;
        }
        if (from == MIN_PORT && to == MAX_PORT) {
            return protocol + "/*";
        }
        return from == to ? protocol + "/" + from : protocol + "/" + from + "-" + to;
    }

    @Override
    public int compareTo(PortMatch other) {
        int byProtocol = protocol.compareTo(other.protocol);
        if (byProtocol != 0) {
            return byProtocol;
        }
        if (isNamed() != other.isNamed()) {
            return isNamed() ? 1 : -1;
        }
        if (isNamed()) {
            return name.compareTo(other.name);
        }
        return from != other.from ? Integer.compare(from, other.from) : Integer.compare(to, other.to);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
