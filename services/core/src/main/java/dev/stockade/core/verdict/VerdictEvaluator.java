package dev.stockade.core.verdict;

import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpAddress;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.PortMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Decides connectivity from per-node rule sets, the same rules agents enforce: egress at the
 * source's node, ingress at the destination's node, both must allow. This is the NetworkPolicy tier
 * alone: ClusterNetworkPolicies in the rule sets are left to {@link CompiledTierEvaluator}.
 *
 * <p>Per direction: a pod selected by a policy isolating that direction is isolated; traffic of
 * an isolated pod is allowed iff a rule of that direction of any policy applying to the pod
 * matches (rules are additive; 2016 policies add ingress rules but never isolate). A rule matches
 * when the peer matches (any, an address group member's IP, or an ipBlock minus its holes) and a
 * port matches (none listed = all; a named port resolves on the destination pod, same protocol).
 */
public final class VerdictEvaluator implements Connectivity {

    private final Function<String, NodeRuleSet> ruleSets;
    private final Map<String, NodeIndex> indexes = new HashMap<>();

    /** Evaluates over the given rule sets (a node without one enforces nothing). */
    public VerdictEvaluator(Function<String, NodeRuleSet> ruleSets) {
        this.ruleSets = ruleSets;
    }

    @Override
    public boolean allowed(Endpoint from, Endpoint to, Probe probe) {
        return explain(from, to, probe).allowed();
    }

    public Explanation explain(Endpoint from, Endpoint to, Probe probe) {
        return new Explanation(from.pod(), to.pod(), probe, side(Direction.EGRESS, from, to, probe),
                side(Direction.INGRESS, to, from, probe));
    }

    /** One side of a connection: {@code local}'s policies in {@code direction}, towards or from {@code peer}. */
    private SideDecision side(Direction direction, Endpoint local, Endpoint peer, Probe probe) {
        TreeSet<PolicyRef> isolatedBy = new TreeSet<>();
        List<RuleRef> allowedBy = new ArrayList<>();
        NodeIndex index = index(local.node());
        IpAddress peerAddress = peer.address();
        for (NodeIndex.Applied applied : index.policiesOf(local.pod())) {
            if (applied.policy().isolates().contains(direction)) {
                isolatedBy.add(applied.policy().ref());
            }
            for (CompiledRule rule : applied.policy().rules()) {
                if (rule.direction() == direction && matches(rule, applied, index, peer, peerAddress, probe)) {
                    allowedBy.add(new RuleRef(applied.policy().ref(), direction, rule.index()));
                }
            }
        }
        return new SideDecision(direction, local.node(), List.copyOf(isolatedBy), distinctSorted(allowedBy));
    }

    /** Egress: peer and port, named ports on the peer; ingress: peer, then port on the local member. */
    static boolean matches(CompiledRule rule, NodeIndex.Applied applied, NodeIndex index, Endpoint peer,
                                   IpAddress peerAddress, Probe probe) {
        return rule.direction() == Direction.EGRESS
                ? egressMatches(rule, index, peer.ip(), peerAddress, probe)
                : peerMatches(rule, index, peer.ip(), peerAddress) && portMatches(rule.ports(), probe, applied.member());
    }

    /** For egress the destination is the peer, and named ports resolve on the peer's member entry. */
    private static boolean egressMatches(CompiledRule rule, NodeIndex index, String ip, IpAddress address, Probe probe) {
        if (rule.anyPeer() && portMatches(rule.ports(), probe, null)) {
            return true;
        }
        for (IpBlock block : rule.ipBlocks()) {
            if (block.contains(address) && portMatches(rule.ports(), probe, null)) {
                return true;
            }
        }
        for (String group : rule.addressGroups()) {
            GroupMember member = index.addressMember(group, ip);
            if (member != null && portMatches(rule.ports(), probe, member)) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerMatches(CompiledRule rule, NodeIndex index, String ip, IpAddress address) {
        if (rule.anyPeer()) {
            return true;
        }
        for (IpBlock block : rule.ipBlocks()) {
            if (block.contains(address)) {
                return true;
            }
        }
        for (String group : rule.addressGroups()) {
            if (index.addressMember(group, ip) != null) {
                return true;
            }
        }
        return false;
    }

    /** "If this field is empty or missing, this rule matches all ports." {@code destination} resolves named ports. */
    static boolean portMatches(List<PortMatch> ports, Probe probe, GroupMember destination) {
        if (ports.isEmpty()) {
            return true;
        }
        for (PortMatch port : ports) {
            if (port.isNamed()) {
                if (destination != null && port.protocol() == probe.protocol()
                        && destination.resolve(port.name(), port.protocol()).orElse(-1) == probe.port()) {
                    return true;
                }
            } else if (port.matchesNumeric(probe.protocol(), probe.port())) {
                return true;
            }
        }
        return false;
    }

    /** The lookups of a node's rule set (an empty one for an unscheduled pod or a node without a rule set). */
    NodeIndex index(String node) {
        if (node == null) {
            return new NodeIndex(NodeRuleSet.empty(""));
        }
        return indexes.computeIfAbsent(node, n -> {
            NodeRuleSet ruleSet = ruleSets.apply(n);
            return new NodeIndex(ruleSet == null ? NodeRuleSet.empty(n) : ruleSet);
        });
    }

    private static List<RuleRef> distinctSorted(List<RuleRef> rules) {
        return rules.stream().distinct().sorted(java.util.Comparator.comparing(RuleRef::policy)
                .thenComparing(RuleRef::direction).thenComparingInt(RuleRef::index)).toList();
    }
}
