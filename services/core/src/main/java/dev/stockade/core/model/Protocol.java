package dev.stockade.core.model;

import java.util.Locale;
import java.util.Optional;

/** The protocols a NetworkPolicy port can name. */
public enum Protocol {
    TCP, UDP, SCTP;

    /**
     * Parses a protocol name as Kubernetes spells it ({@code TCP}, {@code UDP}, {@code SCTP}).
     * Empty means unknown; null is not accepted here: callers default null to TCP themselves.
     */
    public static Optional<Protocol> parse(String text) {
        for (Protocol protocol : values()) {
            if (protocol.name().equals(text)) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }

    /** Lower-case form, as nftables spells it. */
    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}
