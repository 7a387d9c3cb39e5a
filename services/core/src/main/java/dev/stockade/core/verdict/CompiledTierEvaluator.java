package dev.stockade.core.verdict;

import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.compiled.PolicyTier;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.RuleAction;
import dev.stockade.core.policy.Tier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides connectivity with the ClusterNetworkPolicy tiers from per-node rule sets alone, the way
 * an agent's dataplane does: egress judged with the source node's rule set, ingress with the
 * destination node's, both must allow. It must agree with the reference {@link TierEvaluator}
 * (property-tested), which reads the validated policies and the cluster state instead.
 *
 * <p>Per direction: the Admin-tier policies applying to the pod on its node, in
 * {@link dev.stockade.core.compiled.CompiledPolicy#PRECEDENCE} order, each one's rules of the
 * direction by index, the first matching rule deciding (Accept allows, Deny denies, Pass leaves the
 * tier); then the NetworkPolicy tier ({@link VerdictEvaluator}, final when the pod is isolated);
 * then Baseline likewise (Pass leaves it for the default); then allow. Traffic from a pod's IP to
 * the same IP (a pod to its own pod IP) skips both ClusterNetworkPolicy tiers, as upstream says.
 */
public final class CompiledTierEvaluator implements Connectivity {

    private final VerdictEvaluator networkPolicies;

    /** Evaluates over the given rule sets (a node without one enforces nothing). */
    public CompiledTierEvaluator(Function<String, NodeRuleSet> ruleSets) {
        this.networkPolicies = new VerdictEvaluator(ruleSets);
    }

    @Override
    public boolean allowed(Endpoint from, Endpoint to, Probe probe) {
        return explain(from, to, probe).allowed();
    }

    public TieredExplanation explain(Endpoint from, Endpoint to, Probe probe) {
        Explanation today = networkPolicies.explain(from, to, probe);
        boolean ownPodIp = from.ip().equals(to.ip());
        TierWalk egress = walk(Direction.EGRESS, from, to, probe, today.egress(), ownPodIp);
        TierWalk ingress = walk(Direction.INGRESS, to, from, probe, today.ingress(), ownPodIp);
        return new TieredExplanation(from.pod(), to.pod(), probe, egress, ingress);
    }

    /** One direction: {@code local}'s policies on its node, towards or from {@code peer}. */
    private TierWalk walk(Direction direction, Endpoint local, Endpoint peer, Probe probe, SideDecision networkPolicyTier,
                          boolean ownPodIp) {
        List<TierStep> steps = new ArrayList<>();
        NodeIndex index = networkPolicies.index(local.node());
        Optional<Boolean> admin = ownPodIp ? skip(Tier.ADMIN, steps)
                : tier(PolicyTier.ADMIN, direction, local, peer, probe, index, steps);
        if (admin.isPresent()) {
            return new TierWalk(direction, local.pod(), steps, admin.get());
        }
        TierStep.NetworkPolicyTier networkPolicy = new TierStep.NetworkPolicyTier(networkPolicyTier);
        steps.add(networkPolicy);
        if (networkPolicy.isFinal()) {
            return new TierWalk(direction, local.pod(), steps, networkPolicyTier.allowed());
        }
        Optional<Boolean> baseline = ownPodIp ? skip(Tier.BASELINE, steps)
                : tier(PolicyTier.BASELINE, direction, local, peer, probe, index, steps);
        if (baseline.isPresent()) {
            return new TierWalk(direction, local.pod(), steps, baseline.get());
        }
        steps.add(new TierStep.DefaultAllow());
        return new TierWalk(direction, local.pod(), steps, true);
    }

    private static Optional<Boolean> skip(Tier tier, List<TierStep> steps) {
        steps.add(new TierStep.Skipped(tier, TierEvaluator.OWN_POD_IP));
        return Optional.empty();
    }

    /** The verdict of one ClusterNetworkPolicy tier; empty when it passes or no rule matches. */
    private static Optional<Boolean> tier(PolicyTier tier, Direction direction, Endpoint local, Endpoint peer,
                                          Probe probe, NodeIndex index, List<TierStep> steps) {
        Tier clusterTier = tier.clusterTier().orElseThrow();
        for (NodeIndex.Applied applied : index.clusterPoliciesOf(local.pod())) {
            if (applied.policy().tier() != tier) {
                continue;
            }
            List<CompiledRule> rules = applied.policy().rules().stream().filter(rule -> rule.direction() == direction)
                    .sorted(Comparator.comparingInt(CompiledRule::index)).toList();
            for (CompiledRule rule : rules) {
                if (VerdictEvaluator.matches(rule, applied, index, peer, peer.address(), probe)) {
                    steps.add(new TierStep.CompiledRuleMatched(clusterTier, applied.policy().ref().name(),
                            applied.policy().priority(), direction, rule.index(), rule.action()));
                    return rule.action() == RuleAction.PASS ? Optional.empty()
                            : Optional.of(rule.action() == RuleAction.ACCEPT);
                }
            }
        }
        steps.add(new TierStep.NoRuleMatched(clusterTier));
        return Optional.empty();
    }
}
