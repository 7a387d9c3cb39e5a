package dev.stockade.core.compiled;

import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PortMatch;
import java.util.List;

/**
 * One rule as agents enforce it. {@code index} is the rule's position in the policy as written.
 * Peers: every address when {@code anyPeer}, else members of {@code addressGroups} plus
 * {@code ipBlocks}. Ports: every port when empty, else any of {@code ports}; a named port
 * resolves on the destination pod (for ingress the applied-to member, for egress the
 * address-group member).
 */
public record CompiledRule(Direction direction, int index, boolean anyPeer, List<String> addressGroups,
                           List<IpBlock> ipBlocks, List<PortMatch> ports) {

    public CompiledRule {
        addressGroups = List.copyOf(addressGroups);
        ipBlocks = List.copyOf(ipBlocks);
        ports = List.copyOf(ports);
    }

    /** Stable text form, part of the policy's identity hash. */
    String canonical() {
        return direction + "#" + index + (anyPeer ? " any" : "") + " groups" + addressGroups + " blocks" + ipBlocks
                + " ports" + ports;
    }
}
