package dev.stockade.cli;

import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.policy.ClusterPolicyDefinition;
import dev.stockade.core.verdict.CompiledTierEvaluator;
import dev.stockade.core.verdict.Connectivity;
import dev.stockade.core.verdict.TierEvaluator;
import dev.stockade.core.verdict.VerdictEvaluator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the commands treat ClusterNetworkPolicies ({@code policy.networking.k8s.io/v1alpha2}), which
 * are compiled into the node rule sets like NetworkPolicies and enforced by the agents in their
 * tiers: {@code matrix} judges from the compiled rule sets with {@link CompiledTierEvaluator} (Admin,
 * NetworkPolicy, Baseline, default: what the agents enforce), {@code explain} walks the tiers with the
 * core's reference {@link TierEvaluator}, which names rules and fail-closed readings (the two agree:
 * property-tested in the core).
 */
final class ClusterPolicies {

    private ClusterPolicies() {
    }

    /** The tier walk when any ClusterNetworkPolicy is in force; empty when there is none (verdicts are today's). */
    static Optional<TierEvaluator> tiers(ClusterState state, VerdictEvaluator networkPolicies) {
        List<ClusterPolicyDefinition> policies = state.clusterPolicies();
        return policies.isEmpty() ? Optional.empty() : Optional.of(new TierEvaluator(state, policies, networkPolicies));
    }

    /**
     * The verdicts {@code matrix} prints, from the compiled rule sets: with the tiers when there are
     * ClusterNetworkPolicies, else the NetworkPolicy tier alone (the same verdicts, without the walk).
     */
    static Connectivity judge(ClusterState state, Function<String, NodeRuleSet> ruleSets) {
        return state.clusterPolicies().isEmpty() ? new VerdictEvaluator(ruleSets) : new CompiledTierEvaluator(ruleSets);
    }

    /** The ClusterNetworkPolicies in force, by name in precedence order, or "" when none. */
    static String names(ClusterState state) {
        return state.clusterPolicies().stream().map(ClusterPolicyDefinition::name).collect(Collectors.joining(", "));
    }

    /** The one stderr line of {@code matrix} and {@code explain} when they judge ClusterNetworkPolicies. */
    static Optional<String> evaluatedNote(String command, ClusterState state) {
        if (state.clusterPolicies().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("note: " + command + " evaluates the ClusterNetworkPolicies (" + names(state)
                + ") in their tiers: Admin, NetworkPolicy, Baseline, then allow.");
    }
}
