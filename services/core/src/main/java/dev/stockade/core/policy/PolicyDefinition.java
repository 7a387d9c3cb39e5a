package dev.stockade.core.policy;

import java.util.List;
import java.util.Set;

/**
 * A validated policy of any kind: which pods it applies to, the directions in which it isolates
 * them (empty for 2016 policies, which never isolate) and its rules.
 */
public record PolicyDefinition(PolicyRef ref, PodSelection.InNamespace appliedTo, Set<Direction> isolates,
                               List<RuleDefinition> rules) {

    public PolicyDefinition {
        isolates = Set.copyOf(isolates);
        rules = List.copyOf(rules);
    }
}
