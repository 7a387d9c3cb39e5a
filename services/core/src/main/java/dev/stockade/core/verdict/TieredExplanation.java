package dev.stockade.core.verdict;

/**
 * A verdict with ClusterNetworkPolicy tiers and why: the egress walk of the source and the ingress
 * walk of the destination. Allowed iff both walks allow ("any ingress rules at the destination do
 * apply" after an egress Accept, and the other way round).
 */
public record TieredExplanation(String from, String to, Probe probe, TierWalk egress, TierWalk ingress) {

    public boolean allowed() {
        return egress.allowed() && ingress.allowed();
    }

    /** The verdict and both walks, one line each. */
    public String text() {
        return from + " -> " + to + " " + probe + ": " + (allowed() ? "ALLOWED" : "DENIED") + "\n"
                + "  egress of " + from + ": " + egress.text() + "\n"
                + "  ingress of " + to + ": " + ingress.text() + "\n";
    }
}
