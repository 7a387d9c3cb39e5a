package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.policy.ClusterPolicyDefinition;
import dev.stockade.core.policy.ClusterRule;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.PolicyDefinition;
import dev.stockade.core.policy.RuleDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

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

    /**
     * A ClusterNetworkPolicy: ingress rules then egress rules, each in the order written, with their
     * actions; {@code networks} become ipBlocks without holes. It isolates nothing: a pod no rule
     * matches goes on to the next policy or tier.
     */
    static CompiledPolicy compile(ClusterPolicyDefinition definition, String appliedToGroup,
                                  Function<PodSelection, String> addressGroupOf) {
        List<CompiledRule> rules = new ArrayList<>();
        for (ClusterRule rule : Stream.concat(definition.ingress().stream(), definition.egress().stream()).toList()) {
            List<String> groups = rule.pods().stream().map(addressGroupOf).sorted().distinct().toList();
            List<IpBlock> blocks = rule.networks().stream().map(cidr -> new IpBlock(cidr, List.of())).toList();
            rules.add(new CompiledRule(rule.direction(), rule.index(), rule.action(), rule.anyPeer(), groups, blocks,
                    rule.ports()));
        }
        return CompiledPolicy.of(definition.ref(), appliedToGroup, List.of(), rules, definition.priority());
    }

    /** The distinct peer selections of a definition, in rule order. */
    static List<PodSelection> peerSelections(PolicyDefinition definition) {
        return definition.rules().stream().flatMap(rule -> rule.podPeers().stream()).distinct().toList();
    }

    /** The distinct peer selections of a ClusterNetworkPolicy, ingress rules first. */
    static List<PodSelection> peerSelections(ClusterPolicyDefinition definition) {
        return Stream.concat(definition.ingress().stream(), definition.egress().stream())
                .flatMap(rule -> rule.pods().stream()).distinct().toList();
    }
}
