package dev.stockade.core.verdict;

import dev.stockade.core.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A connection attempt to a destination port: {@code 80/TCP}. */
public record Probe(int port, Protocol protocol) {

    /** Parses {@code PORT/PROTOCOL}; empty when malformed. */
    public static Optional<Probe> parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        Optional<Protocol> protocol = Protocol.parse(text.substring(slash + 1).trim());
        try {
            int port = Integer.parseInt(text.substring(0, slash).trim());
            return protocol.isPresent() && port >= 1 && port <= 65535
                    ? Optional.of(new Probe(port, protocol.get())) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Parses a comma-separated list; throws IllegalArgumentException naming the bad entry. */
    public static List<Probe> parseList(String text) {
        List<Probe> probes = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            probes.add(parse(part.trim()).orElseThrow(
                    () -> new IllegalArgumentException("'" + part.trim() + "' is not a probe like 80/TCP")));
        }
        return probes;
    }

    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
