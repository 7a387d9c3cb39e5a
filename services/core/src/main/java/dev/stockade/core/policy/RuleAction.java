package dev.stockade.core.policy;

import java.util.Optional;

/**
 * What a matching ClusterNetworkPolicy rule does with a connection in its direction.
 *
 * <ul>
 *   <li>{@code Accept}: allowed; no further ClusterNetworkPolicy or NetworkPolicy rules of this
 *       direction are processed (the other direction is still judged on its own).</li>
 *   <li>{@code Deny}: denied; nothing further is processed.</li>
 *   <li>{@code Pass}: the rest of the current tier is skipped and evaluation continues with the
 *       next tier (from Admin: the NetworkPolicy tier; from Baseline: the default, which allows).</li>
 * </ul>
 */
public enum RuleAction {
    ACCEPT("Accept"), DENY("Deny"), PASS("Pass");

    private final String text;

    RuleAction(String text) {
        this.text = text;
    }

    /** The action as written; empty for anything else (case-sensitive, as the CRD's enum). */
    public static Optional<RuleAction> parse(String text) {
        for (RuleAction action : values()) {
            if (action.text.equals(text)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
