package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.PolicyDefinition;
import dev.stockade.core.policy.RuleDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Compiles one policy definition, given how its pod selections are named as groups. */
final class PolicyCompiler {

    private PolicyCompiler() {
    }

    /**
     * The compiled policy. {@code addressGroupOf} names (and, for the engine, acquires) the
     * address group of each peer selection.
     */
    static CompiledPolicy compile(PolicyDefinition definition, String appliedToGroup,
                                  Function<PodSelection, String> addressGroupOf) {
        List<CompiledRule> rules = new ArrayList<>();
        for (RuleDefinition rule : definition.rules()) {
            List<String> groups = rule.podPeers().stream().map(addressGroupOf).sorted().distinct().toList();
            rules.add(new CompiledRule(rule.direction(), rule.index(), rule.anyPeer(), groups, rule.ipBlocks(),
                    rule.ports()));
        }
        return CompiledPolicy.of(definition.ref(), appliedToGroup, List.copyOf(definition.isolates()), rules);
    }

    /** The distinct peer selections of a definition, in rule order. */
    static List<PodSelection> peerSelections(PolicyDefinition definition) {
        return definition.rules().stream().flatMap(rule -> rule.podPeers().stream()).distinct().toList();
    }
}
