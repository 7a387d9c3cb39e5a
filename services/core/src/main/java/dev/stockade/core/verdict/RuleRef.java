package dev.stockade.core.verdict;

import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyRef;

/** A rule as people find it in the policy: policy, direction and index as written. */
public record RuleRef(PolicyRef policy, Direction direction, int index) {

    @Override
    public String toString() {
        String section = switch (policy.kind()) {
            case LegacyNetworkPolicy -> "allowIncoming";
            default -> direction == Direction.INGRESS ? "ingress" : "egress";
        };
        return policy + " " + section + "[" + index + "]";
    }
}
