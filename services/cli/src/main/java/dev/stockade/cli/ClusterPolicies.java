package dev.stockade.cli;

import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.policy.ClusterPolicyDefinition;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.TierEvaluator;
import dev.stockade.core.verdict.VerdictEvaluator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the commands treat ClusterNetworkPolicies ({@code policy.networking.k8s.io/v1alpha2}) while
 * the compiler does not yet produce rules for them: {@code matrix} and {@code explain} judge with
 * the core's reference {@link TierEvaluator} (Admin, NetworkPolicy, Baseline, default) around the
 * compiled NetworkPolicy verdicts; {@code compile} and the demo enforce only the NetworkPolicy tier
 * and say once, on stderr, which ClusterNetworkPolicies they leave out.
 */
final class ClusterPolicies {

    /** A verdict for one connection: the compiled NetworkPolicy tier alone, or the tier walk around it. */
    @FunctionalInterface
    interface Judge {
        boolean allowed(Endpoint from, Endpoint to, Probe probe);
    }

    private ClusterPolicies() {
    }

    /** The tier walk when any ClusterNetworkPolicy is in force; empty when there is none (verdicts are today's). */
    static Optional<TierEvaluator> tiers(ClusterState state, VerdictEvaluator networkPolicies) {
        List<ClusterPolicyDefinition> policies = state.clusterPolicies();
        return policies.isEmpty() ? Optional.empty() : Optional.of(new TierEvaluator(state, policies, networkPolicies));
    }

    /** The verdicts {@code matrix} prints: with the tiers when there are ClusterNetworkPolicies. */
    static Judge judge(ClusterState state, VerdictEvaluator networkPolicies) {
        Optional<TierEvaluator> tiers = tiers(state, networkPolicies);
        return tiers.isPresent() ? tiers.get()::allowed : networkPolicies::allowed;
    }

    /** The ClusterNetworkPolicies in force, by name in precedence order, or "" when none. */
    static String names(ClusterState state) {
        return state.clusterPolicies().stream().map(ClusterPolicyDefinition::name).collect(Collectors.joining(", "));
    }

    /**
     * The one stderr line of a command that enforces only compiled rules ({@code compile}, the demo)
     * when ClusterNetworkPolicies are in force; empty when there are none.
     */
    static Optional<String> notEnforcedNote(String command, ClusterState state) {
        List<ClusterPolicyDefinition> policies = state.clusterPolicies();
        if (policies.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("note: " + command + " does not enforce ClusterNetworkPolicies yet (no rules are compiled"
                + " for them); left out: " + policies.size() + " (" + names(state) + "). matrix and explain evaluate them.");
    }

    /** The one stderr line of {@code matrix} and {@code explain} when they judge ClusterNetworkPolicies. */
    static Optional<String> evaluatedNote(String command, ClusterState state) {
        if (state.clusterPolicies().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("note: " + command + " evaluates the ClusterNetworkPolicies (" + names(state)
                + ") with the reference tier evaluator; compile and the agents do not enforce them yet.");
    }
}
