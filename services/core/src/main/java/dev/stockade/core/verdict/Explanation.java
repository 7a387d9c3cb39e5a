package dev.stockade.core.verdict;

/** A verdict and why: the egress side at the source's node and the ingress side at the destination's. */
public record Explanation(String from, String to, Probe probe, SideDecision egress, SideDecision ingress) {

    /** Allowed iff both sides allow. */
    public boolean allowed() {
        return egress.allowed() && ingress.allowed();
    }
}
