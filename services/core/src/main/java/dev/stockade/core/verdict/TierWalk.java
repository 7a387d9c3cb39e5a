package dev.stockade.core.verdict;

import dev.stockade.core.policy.Direction;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One direction of a connection walked through the tiers: egress of the source, judged at its
 * node, or ingress of the destination, judged at its node. {@code steps} are in the order they
 * were taken; the last one decided. {@code pod} is the pod whose policies were walked.
 */
public record TierWalk(Direction direction, String pod, List<TierStep> steps, boolean allowed) {

    public TierWalk {
        steps = List.copyOf(steps);
    }

    /** The step that decided: the last one. */
    public TierStep decidedBy() {
        return steps.get(steps.size() - 1);
    }

    /**
     * The walk on one line: {@code [Admin] deny-monitoring (priority 10) ingress[0]: Pass →
     * [NetworkPolicy] not isolated → [Baseline] default-isolate (priority 100) ingress[0]: Deny}.
     */
    public String text() {
        return steps.stream().map(TierStep::text).collect(Collectors.joining(" → "));
    }
}
