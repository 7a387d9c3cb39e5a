package dev.stockade.core.verdict;

import java.util.List;
import java.util.stream.Stream;

/**
 * What the reference and the node-rule-set evaluators must agree on in a tiered explanation: the
 * verdict and, per direction, each step of the walk. A matched rule is compared by tier, policy,
 * priority, position and action (node rule sets carry neither rule names nor fail-closed reasons).
 */
final class TierWalks {

    private TierWalks() {
    }

    static List<String> shape(TieredExplanation explanation) {
        return Stream.concat(Stream.of(explanation.allowed() ? "ALLOWED" : "DENIED"),
                Stream.of(explanation.egress(), explanation.ingress()).flatMap(walk -> Stream.concat(
                        Stream.of(walk.direction() + " of " + walk.pod() + ": " + walk.allowed()),
                        walk.steps().stream().map(TierWalks::step)))).toList();
    }

    private static String step(TierStep step) {
        if (step instanceof TierStep.RuleMatched matched) {
            return "[" + matched.tier() + "] " + matched.policy() + " (priority " + matched.priority() + ") "
                    + matched.rule().position() + ": " + matched.action();
        }
        return step.text();
    }
}
