package dev.stockade.core.verdict;

import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.ClusterPolicyDefinition;
import dev.stockade.core.policy.ClusterRule;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpAddress;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.PortMatch;
import dev.stockade.core.policy.RuleAction;
import dev.stockade.core.policy.Tier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The reference evaluator for ClusterNetworkPolicy tiers: decides a connection from the cluster
 * state and the validated ClusterNetworkPolicies, and says how (services/core/CLUSTER-NETWORK-POLICY.md).
 *
 * <p>Each direction is walked on its own (egress for the source, ingress for the destination;
 * both must allow): the Admin tier's policies selecting the pod, by priority then name, each
 * rule of the direction in order, the first matching rule deciding (Accept allows, Deny denies,
 * Pass leaves the tier); then the NetworkPolicy tier exactly as without tiers (the given
 * {@link VerdictEvaluator}: final when the pod is isolated in the direction); then the Baseline
 * tier like the Admin tier (Pass leaves it for the default); then allow. A pod's traffic to its
 * own pod IP is not subject to ClusterNetworkPolicy (upstream: "A Pod connecting to its own Pod IP
 * is not subject to CNP"), so only the NetworkPolicy tier applies to it.
 *
 * <p>A reference, not the enforcement path: agents will enforce compiled per-node rules, and this
 * evaluator is what those rules must agree with.
 */
public final class TierEvaluator implements Connectivity {

    static final String OWN_POD_IP = "traffic to the pod's own IP is not subject to ClusterNetworkPolicy";

    private final ClusterState state;
    private final List<ClusterPolicyDefinition> policies;
    private final VerdictEvaluator networkPolicies;

    /**
     * @param state           pods and namespaces (the subject and peers of ClusterNetworkPolicies)
     * @param policies        the ClusterNetworkPolicies in force, in any order
     * @param networkPolicies the NetworkPolicy tier: today's verdicts of v1 and 2016 policies
     */
    public TierEvaluator(ClusterState state, Collection<ClusterPolicyDefinition> policies,
                         VerdictEvaluator networkPolicies) {
        this.state = state;
        this.policies = policies.stream().sorted(ClusterPolicyDefinition.PRECEDENCE).toList();
        this.networkPolicies = networkPolicies;
    }

    @Override
    public boolean allowed(Endpoint from, Endpoint to, Probe probe) {
        return explain(from, to, probe).allowed();
    }

    public TieredExplanation explain(Endpoint from, Endpoint to, Probe probe) {
        Explanation today = networkPolicies.explain(from, to, probe);
        PodInfo source = pod(from);
        PodInfo destination = pod(to);
        boolean ownPodIp = from.pod().equals(to.pod());
        TierWalk egress = walk(new Side(Direction.EGRESS, source, destination, to.address(), probe), today.egress(),
                ownPodIp);
        TierWalk ingress = walk(new Side(Direction.INGRESS, destination, source, from.address(), probe),
                today.ingress(), ownPodIp);
        return new TieredExplanation(from.pod(), to.pod(), probe, egress, ingress);
    }

    /** One direction of a connection: the pod whose policies apply, the other end, and what is probed. */
    private record Side(Direction direction, PodInfo local, PodInfo peer, IpAddress peerAddress, Probe probe) {

        /** Named ports resolve on the destination: the local pod for ingress, the peer for egress. */
        PodInfo destination() {
            return direction == Direction.INGRESS ? local : peer;
        }
    }

    private TierWalk walk(Side side, SideDecision networkPolicyTier, boolean ownPodIp) {
        List<TierStep> steps = new ArrayList<>();
        Optional<Boolean> admin = ownPodIp ? skip(Tier.ADMIN, steps) : tier(Tier.ADMIN, side, steps);
        if (admin.isPresent()) {
            return new TierWalk(side.direction(), side.local().key(), steps, admin.get());
        }
        TierStep.NetworkPolicyTier networkPolicy = new TierStep.NetworkPolicyTier(networkPolicyTier);
        steps.add(networkPolicy);
        if (networkPolicy.isFinal()) {
            return new TierWalk(side.direction(), side.local().key(), steps, networkPolicyTier.allowed());
        }
        Optional<Boolean> baseline = ownPodIp ? skip(Tier.BASELINE, steps) : tier(Tier.BASELINE, side, steps);
        if (baseline.isPresent()) {
            return new TierWalk(side.direction(), side.local().key(), steps, baseline.get());
        }
        steps.add(new TierStep.DefaultAllow());
        return new TierWalk(side.direction(), side.local().key(), steps, true);
    }

    private static Optional<Boolean> skip(Tier tier, List<TierStep> steps) {
        steps.add(new TierStep.Skipped(tier, OWN_POD_IP));
        return Optional.empty();
    }

    /** The verdict of one ClusterNetworkPolicy tier; empty when it passes or nothing matches. */
    private Optional<Boolean> tier(Tier tier, Side side, List<TierStep> steps) {
        for (ClusterPolicyDefinition policy : policies) {
            if (policy.tier() != tier || !selects(policy.subject(), side.local())) {
                continue;
            }
            for (ClusterRule rule : policy.rules(side.direction())) {
                if (matches(rule, side)) {
                    steps.add(new TierStep.RuleMatched(tier, policy.name(), policy.priority(), rule));
                    return rule.action() == RuleAction.PASS ? Optional.empty()
                            : Optional.of(rule.action() == RuleAction.ACCEPT);
                }
            }
        }
        steps.add(new TierStep.NoRuleMatched(tier));
        return Optional.empty();
    }

    private boolean matches(ClusterRule rule, Side side) {
        return (rule.anyPeer() || peerMatches(rule, side)) && portMatches(rule.ports(), side.probe(), side.destination());
    }

    private boolean peerMatches(ClusterRule rule, Side side) {
        for (PodSelection selection : rule.pods()) {
            if (selects(selection, side.peer())) {
                return true;
            }
        }
        for (Cidr network : rule.networks()) {
            if (network.contains(side.peerAddress())) {
                return true;
            }
        }
        return false;
    }

    private boolean selects(PodSelection selection, PodInfo pod) {
        return !pod.hostNetwork() && selection.matches(pod, state.namespaceLabels(pod.namespace()));
    }

    /**
     * No ports = every protocol and port. A named port matches the destination pod's container port
     * of that name and protocol, on that port number.
     */
    static boolean portMatches(List<PortMatch> ports, Probe probe, PodInfo destination) {
        if (ports.isEmpty()) {
            return true;
        }
        for (PortMatch port : ports) {
            if (port.isNamed() ? namedPortMatches(port, probe, destination) : port.matchesNumeric(probe.protocol(), probe.port())) {
                return true;
            }
        }
        return false;
    }

    private static boolean namedPortMatches(PortMatch port, Probe probe, PodInfo destination) {
        if (port.protocol() != probe.protocol()) {
            return false;
        }
        for (ContainerPort declared : destination.ports()) {
            if (port.name().equals(declared.name()) && declared.protocol() == port.protocol()
                    && declared.port() == probe.port()) {
                return true;
            }
        }
        return false;
    }

    private PodInfo pod(Endpoint endpoint) {
        PodInfo pod = state.pods().get(endpoint.pod());
        if (pod == null) {
            throw new IllegalArgumentException("no pod " + endpoint.pod() + " in the cluster state");
        }
        return pod;
    }
}
