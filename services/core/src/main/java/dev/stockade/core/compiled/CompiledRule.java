package dev.stockade.core.compiled;

import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PortMatch;
import dev.stockade.core.policy.RuleAction;
import java.util.List;

/**
 * One rule as agents enforce it. {@code index} is the rule's position in the policy as written.
 * Peers: every address when {@code anyPeer}, else members of {@code addressGroups} plus
 * {@code ipBlocks} (a ClusterNetworkPolicy's egress {@code networks} are ipBlocks without holes).
 * Ports: every port when empty, else any of {@code ports}; a named port resolves on the
 * destination pod (for ingress the applied-to member, for egress the address-group member).
 *
 * <p>{@code action}: what a match does. A NetworkPolicy-tier rule always allows
 * ({@link RuleAction#ACCEPT}: rules there are additive allows). A ClusterNetworkPolicy rule's action
 * is as written, or {@code DENY} with {@code anyPeer} for a rule that fails closed; a rule of such a
 * policy that can match nothing (an Accept rule whose only peers fail closed) has no peer at all.
 */
public record CompiledRule(Direction direction, int index, RuleAction action, boolean anyPeer,
                           List<String> addressGroups, List<IpBlock> ipBlocks, List<PortMatch> ports) {

    /** A NetworkPolicy-tier rule: it allows what it matches. */
    public CompiledRule(Direction direction, int index, boolean anyPeer, List<String> addressGroups,
                        List<IpBlock> ipBlocks, List<PortMatch> ports) {
        this(direction, index, RuleAction.ACCEPT, anyPeer, addressGroups, ipBlocks, ports);
    }

    public CompiledRule {
        java.util.Objects.requireNonNull(action, "a rule needs an action");
        addressGroups = List.copyOf(addressGroups);
        ipBlocks = List.copyOf(ipBlocks);
        ports = List.copyOf(ports);
    }

    /**
     * Stable text form, part of the policy's identity hash. The action is written only when it is
     * not Accept, so NetworkPolicy rules keep the form (and their policies the ids) they had before
     * rules had actions.
     */
    String canonical() {
        return direction + "#" + index + (anyPeer ? " any" : "") + " groups" + addressGroups + " blocks" + ipBlocks
                + " ports" + ports + (action == RuleAction.ACCEPT ? "" : " " + action);
    }
}
