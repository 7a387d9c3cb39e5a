package dev.stockade.core.policy;

import java.util.Optional;

/**
 * The ClusterNetworkPolicy tiers ({@code spec.tier}). Evaluation order for a connection is
 * Admin, then the NetworkPolicy tier (v1 and 2016 policies), then Baseline, then the default
 * (allow). Declared in that order for the two tiers a ClusterNetworkPolicy can use.
 */
public enum Tier {
    ADMIN("Admin"), BASELINE("Baseline");

    private final String text;

    Tier(String text) {
        this.text = text;
    }

    /** The tier as written in {@code spec.tier}; empty for anything else (the enum is case-sensitive). */
    public static Optional<Tier> parse(String text) {
        for (Tier tier : values()) {
            if (tier.text.equals(text)) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }

    /** {@code Admin} or {@code Baseline}. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
