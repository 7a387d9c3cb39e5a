package dev.stockade.core.verdict;

/**
 * Anything that decides whether a connection is allowed: the NetworkPolicy tier alone
 * ({@link VerdictEvaluator}), the tiers from node rule sets ({@link CompiledTierEvaluator}) or the
 * reference tier walk ({@link TierEvaluator}).
 */
@FunctionalInterface
public interface Connectivity {

    /** True when {@code from} may open a connection to {@code to} for {@code probe}. */
    boolean allowed(Endpoint from, Endpoint to, Probe probe);
}
