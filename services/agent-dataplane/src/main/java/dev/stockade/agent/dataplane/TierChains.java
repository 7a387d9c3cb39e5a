package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.PolicyTier;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.RuleAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The ClusterNetworkPolicy stages of one local pod and direction (services/core/CLUSTER-NETWORK-POLICY.md).
 *
 * <p>A direction of a pod is walked through up to three chains, entered from the pod map:
 * <ol>
 *   <li>{@code in-admin-<pod>} / {@code eg-admin-<pod>}: the Admin-tier policies applying to the pod,
 *       by priority then name, each one's rules of the direction in the order written. Accept is the
 *       direction's allow ({@code accept} for ingress; {@code return} for egress, so the base chain
 *       still checks the destination's ingress), Deny logs (rate-limited, naming tier, policy and rule)
 *       and drops, Pass and "no rule matched" go on to the NetworkPolicy stage.</li>
 *   <li>{@code in-<pod>} / {@code eg-<pod>}: the NetworkPolicy chain exactly as without tiers, when the
 *       pod is isolated in the direction: it is final (its allows, else its logged default deny).</li>
 *   <li>{@code in-baseline-<pod>} / {@code eg-baseline-<pod>}: when the pod is not isolated, the
 *       Baseline-tier policies like the Admin ones; Pass and "no rule matched" allow (the default).</li>
 * </ol>
 * Missing stages are skipped. Traffic to the pod's own IP (egress) or from it (ingress) skips both
 * ClusterNetworkPolicy stages: "A Pod connecting to its own Pod IP is not subject to CNP".
 */
final class TierChains {

    private static final String OWN_POD_IP = "own pod IP: not subject to ClusterNetworkPolicy";

    private TierChains() {
    }

    /** The stages of one pod and direction: the entry chain's name (empty: nothing to enforce) and the chains. */
    record Stages(Optional<String> entry, List<NftChain> chains) {
    }

    /**
     * {@code networkPolicy}: the pod's NetworkPolicy chain of this direction when it is isolated in it
     * (then already built), else null.
     */
    static Stages of(String key, TableBuilder.PodPolicies pod, Direction direction, NftChain networkPolicy,
                     Predicate<String> nonEmptySet) {
        boolean ingress = direction == Direction.INGRESS;
        String allow = ingress ? "accept" : "return";
        List<CompiledPolicy> admin = tier(pod, PolicyTier.ADMIN, direction);
        List<CompiledPolicy> baseline = networkPolicy == null ? tier(pod, PolicyTier.BASELINE, direction) : List.of();
        List<NftChain> chains = new ArrayList<>();
        String afterAdmin = allow;
        if (networkPolicy != null) {
            chains.add(networkPolicy);
            afterAdmin = "goto " + networkPolicy.name();
        } else if (!baseline.isEmpty()) {
            NftChain chain = stage(key, pod, direction, PolicyTier.BASELINE, baseline, allow, allow, nonEmptySet);
            chains.add(chain);
            afterAdmin = "goto " + chain.name();
        }
        if (!admin.isEmpty()) {
            chains.add(0, stage(key, pod, direction, PolicyTier.ADMIN, admin, allow, afterAdmin, nonEmptySet));
        }
        return new Stages(chains.isEmpty() ? Optional.empty() : Optional.of(chains.get(0).name()), chains);
    }

    /** The pod's policies of a ClusterNetworkPolicy tier with rules of the direction, in precedence order. */
    private static List<CompiledPolicy> tier(TableBuilder.PodPolicies pod, PolicyTier tier, Direction direction) {
        return pod.policies().stream().filter(policy -> policy.tier() == tier)
                .filter(policy -> policy.rules().stream().anyMatch(rule -> rule.direction() == direction))
                .sorted(CompiledPolicy.PRECEDENCE).toList();
    }

    /** One tier's chain: own-IP bypass, then every rule by precedence, then {@code next}. */
    private static NftChain stage(String key, TableBuilder.PodPolicies pod, Direction direction, PolicyTier tier,
                                  List<CompiledPolicy> policies, String allow, String next, Predicate<String> nonEmptySet) {
        boolean ingress = direction == Direction.INGRESS;
        List<String> lines = new ArrayList<>();
        for (int family : new int[] {4, 6}) {
            List<String> own = TableBuilder.memberIps(List.of(pod.member()), family);
            if (!own.isEmpty()) {
                lines.add(RuleRenderer.ipKeyword(family) + (ingress ? " saddr " : " daddr ")
                        + (own.size() == 1 ? own.get(0) : "{ " + String.join(", ", own) + " }")
                        + " " + (tier == PolicyTier.ADMIN ? next : allow) + " comment \"" + OWN_POD_IP + "\"");
            }
        }
        for (CompiledPolicy policy : policies) {
            for (int position = 0; position < policy.rules().size(); position++) {
                CompiledRule rule = policy.rules().get(position);
                if (rule.direction() == direction) {
                    lines.addAll(rule(key, pod.member(), policy, position, rule, allow, next, nonEmptySet));
                }
            }
        }
        lines.add(next);
        String name = Names.tierChain(ingress, tier, key);
        String comment = (ingress ? "ingress" : "egress") + " of " + key + ": " + tier.clusterTier().orElseThrow() + " tier";
        return new NftChain(name, null, comment, lines);
    }

    /** Accept: the direction's allow; Pass: {@code pass}; Deny: a rate-limited log naming the rule, then drop. */
    private static List<String> rule(String key, GroupMember member, CompiledPolicy policy, int position,
                                     CompiledRule rule, String allow, String pass, Predicate<String> nonEmptySet) {
        if (rule.action() != RuleAction.DENY) {
            return RuleRenderer.render(policy, position, rule, member, rule.action() == RuleAction.ACCEPT ? allow : pass,
                    nonEmptySet);
        }
        String log = TableBuilder.LOG_LIMIT + " log prefix \""
                + DenyLogPrefix.formatRule(rule.direction() == Direction.INGRESS, key, policy.ref(), rule) + "\" level info";
        List<String> logs = RuleRenderer.render(policy, position, rule, member, log, nonEmptySet);
        List<String> drops = RuleRenderer.render(policy, position, rule, member, "counter drop", nonEmptySet);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < drops.size(); i++) {
            lines.add(logs.get(i));
            lines.add(drops.get(i));
        }
        return lines;
    }
}
