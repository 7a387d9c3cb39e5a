package dev.stockade.core.verdict;

import dev.stockade.core.policy.ClusterRule;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.RuleAction;
import dev.stockade.core.policy.Tier;
import java.util.stream.Collectors;

/**
 * One step of the walk through the tiers for one direction of a connection (see
 * {@link TierWalk}). {@link #text()} is how {@code explain} prints it, e.g.
 * {@code [Admin] deny-monitoring (priority 10) ingress[0]: Pass}.
 */
public sealed interface TierStep {

    /** The step as one line fragment. */
    String text();

    /** A ClusterNetworkPolicy rule matched and its action applies (Pass ends the tier, the others the walk). */
    record RuleMatched(Tier tier, String policy, int priority, ClusterRule rule) implements TierStep {

        public RuleAction action() {
            return rule.action();
        }

        @Override
        public String text() {
            String name = rule.name() == null || rule.name().isEmpty() ? "" : " \"" + rule.name() + "\"";
            String failClosed = rule.failedClosed() == null ? "" : " (fail closed: " + rule.failedClosed() + ")";
            return "[" + tier + "] " + policy + " (priority " + priority + ") " + rule.position() + name + ": "
                    + rule.action() + failClosed;
        }
    }

    /**
     * A compiled ClusterNetworkPolicy rule matched, as a node's rule set has it (no rule name, no
     * fail-closed reason: a rule that fails closed is compiled as the Deny it is read as).
     */
    record CompiledRuleMatched(Tier tier, String policy, int priority, Direction direction, int index,
                               RuleAction action) implements TierStep {

        /** {@code ingress[2]} or {@code egress[0]}, as {@link ClusterRule#position()}. */
        public String position() {
            return (direction == Direction.INGRESS ? "ingress" : "egress") + "[" + index + "]";
        }

        @Override
        public String text() {
            return "[" + tier + "] " + policy + " (priority " + priority + ") " + position() + ": " + action;
        }
    }

    /** No rule of the tier matched (or no policy of the tier selects the pod): on to the next tier. */
    record NoRuleMatched(Tier tier) implements TierStep {
        @Override
        public String text() {
            return "[" + tier + "] no rule matches";
        }
    }

    /** The tier does not apply to this connection at all, and why. */
    record Skipped(Tier tier, String reason) implements TierStep {
        @Override
        public String text() {
            return "[" + tier + "] skipped: " + reason;
        }
    }

    /**
     * The NetworkPolicy tier (v1 and 2016 policies, exactly as without tiers): final when the pod is
     * isolated in this direction, otherwise on to Baseline.
     */
    record NetworkPolicyTier(SideDecision decision) implements TierStep {

        /** True when this tier decides (the pod is isolated in this direction). */
        public boolean isFinal() {
            return decision.isolated();
        }

        @Override
        public String text() {
            String rules = decision.allowedBy().stream().map(Object::toString).collect(Collectors.joining(", "));
            if (!decision.isolated()) {
                return "[NetworkPolicy] not isolated" + (rules.isEmpty() ? "" : " (" + rules + " matches; not final)");
            }
            String isolatedBy = decision.isolatedBy().stream().map(Object::toString).collect(Collectors.joining(", "));
            return "[NetworkPolicy] isolated by " + isolatedBy + ": "
                    + (rules.isEmpty() ? "no rule allows: Deny" : "allowed by " + rules + ": Accept");
        }
    }

    /** Nothing decided: Kubernetes' default, every pod may talk to every pod. */
    record DefaultAllow() implements TierStep {
        @Override
        public String text() {
            return "[Default] allow";
        }
    }
}
