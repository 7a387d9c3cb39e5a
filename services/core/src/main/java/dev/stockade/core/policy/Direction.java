package dev.stockade.core.policy;

/** Traffic direction relative to the pods a policy applies to. */
public enum Direction {
    /** Traffic arriving at the selected pods; enforced on the destination's node. */
    INGRESS,
    /** Traffic leaving the selected pods; enforced on the source's node. */
    EGRESS
}
