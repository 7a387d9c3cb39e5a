package dev.stockade.core.verdict;

import dev.stockade.core.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A connection attempt to a destination port: {@code 80/TCP}. */
public record Probe(int port, Protocol protocol) {

    /** Parses {@code PORT/PROTOCOL}; empty when malformed. */
    public static Optional<Probe> parse(String text) {
        try {
            return Optional.of(of(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Parses {@code PORT/PROTOCOL}; throws IllegalArgumentException saying what is wrong with it. */
    public static Probe of(String text) {
        String probe = text.trim();
        int slash = probe.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("'" + probe + "' is not a probe like 80/TCP");
        }
        Protocol protocol = Protocol.parse(probe.substring(slash + 1).trim()).orElseThrow(() -> new IllegalArgumentException(
                "'" + probe + "': the protocol must be TCP, UDP or SCTP"));
        int port;
        try {
            port = Integer.parseInt(probe.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + probe + "' is not a probe like 80/TCP: the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + probe + "': port " + port + " is outside 1-65535");
        }
        return new Probe(port, protocol);
    }

    /** Parses a comma-separated list; throws IllegalArgumentException naming the bad entry. */
    public static List<Probe> parseList(String text) {
        List<Probe> probes = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                probes.add(of(part));
            }
        }
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("no probe given: write one or more like 80/TCP,53/UDP");
        }
        return probes;
    }

    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
