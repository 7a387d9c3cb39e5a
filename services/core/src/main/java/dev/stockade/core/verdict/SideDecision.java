package dev.stockade.core.verdict;

import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyRef;
import java.util.List;

/**
 * One side of a verdict: egress at the source's node or ingress at the destination's node.
 * {@code isolatedBy} empty means the pod is not isolated in this direction and the side allows;
 * otherwise the side allows iff {@code allowedBy} (every matching rule) is non-empty.
 */
public record SideDecision(Direction direction, String node, List<PolicyRef> isolatedBy, List<RuleRef> allowedBy) {

    public SideDecision {
        isolatedBy = List.copyOf(isolatedBy);
        allowedBy = List.copyOf(allowedBy);
    }

    public boolean isolated() {
        return !isolatedBy.isEmpty();
    }

    public boolean allowed() {
        return !isolated() || !allowedBy.isEmpty();
    }
}
