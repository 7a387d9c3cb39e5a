package dev.stockade.core.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an egress rule with named ports so that every rule an agent receives can be matched with
 * what it has. A named port resolves on the destination pod ("named port on a pod"); for egress
 * the destination is a peer, so the named part of the rule only ever matches pods: selector peers
 * as they are, ipBlock peers as the pods whose IP lies in the block, and "any peer" as every pod
 * of every namespace. The numeric part keeps the original peers.
 */
final class RuleSplitter {

    private static final PodSelection EVERY_POD = new PodSelection.AcrossNamespaces(Selector.ALL, Selector.ALL);

    private RuleSplitter() {
    }

    static List<RuleDefinition> split(Direction direction, int index, boolean anyPeer, List<PodSelection> podPeers,
                                      List<IpBlock> ipBlocks, List<PortMatch> ports) {
        List<PortMatch> named = ports.stream().filter(PortMatch::isNamed).toList();
        if (direction == Direction.INGRESS || named.isEmpty()) {
            return List.of(new RuleDefinition(direction, index, anyPeer, podPeers, ipBlocks, ports));
        }
        List<RuleDefinition> parts = new ArrayList<>();
        List<PortMatch> numeric = ports.stream().filter(port -> !port.isNamed()).toList();
        if (!numeric.isEmpty()) {
            parts.add(new RuleDefinition(direction, index, anyPeer, podPeers, ipBlocks, numeric));
        }
        List<PodSelection> namedPeers = new ArrayList<>(podPeers);
        if (anyPeer) {
            namedPeers.add(EVERY_POD);
        }
        ipBlocks.forEach(block -> namedPeers.add(new PodSelection.InIpBlock(block)));
        parts.add(new RuleDefinition(direction, index, false, namedPeers, List.of(), named));
        return parts;
    }
}
