package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.policy.ClusterPolicyDefinition;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.PolicyDefinition;
import dev.stockade.core.policy.PolicyRef;
import java.util.List;
import java.util.function.Function;

/**
 * A policy in force as both compilers take it, whatever its kind: which policy it is, the pods it
 * applies to (its applied-to group), the peer selections its rules name (its address groups), and
 * how it compiles once those groups have ids. A v1 or 2016 NetworkPolicy (or namespace isolation)
 * applies to its {@code podSelector}; a ClusterNetworkPolicy to its {@code subject}.
 */
record PolicyInput(PolicyRef ref, PodSelection appliedTo, List<PodSelection> peers, Compilation compilation) {

    /** Compiles the policy given its applied-to group id and the address group id of each peer selection. */
    interface Compilation {
        CompiledPolicy compile(String appliedToGroup, Function<PodSelection, String> addressGroupOf);
    }

    static PolicyInput of(PolicyDefinition definition) {
        return new PolicyInput(definition.ref(), definition.appliedTo(), PolicyCompiler.peerSelections(definition),
                (appliedTo, groups) -> PolicyCompiler.compile(definition, appliedTo, groups));
    }

    static PolicyInput of(ClusterPolicyDefinition definition) {
        return new PolicyInput(definition.ref(), definition.subject(), PolicyCompiler.peerSelections(definition),
                (appliedTo, groups) -> PolicyCompiler.compile(definition, appliedTo, groups));
    }

    CompiledPolicy compile(String appliedToGroup, Function<PodSelection, String> addressGroupOf) {
        return compilation.compile(appliedToGroup, addressGroupOf);
    }
}
