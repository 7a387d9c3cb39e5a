package dev.stockade.core.policy;

import java.util.List;

/**
 * One validated rule of a policy.
 *
 * <p>{@code index} is the rule's position in the policy as written ({@code spec.ingress[i]},
 * {@code spec.egress[i]}, {@code spec.allowIncoming[i]}). Peers: {@code anyPeer} true means every
 * address ("If this field is empty or missing, this rule matches all sources/destinations");
 * otherwise the union of {@code podPeers} and {@code ipBlocks}. Ports: empty means every port of
 * every protocol; otherwise the union of the {@link PortMatch}es.
 *
 * <p>An egress rule with named ports is split by the validator into a numeric part (same peers)
 * and a named part whose peers are all pod selections, since a named port resolves on the
 * destination pod; both parts keep the rule's index.
 */
public record RuleDefinition(Direction direction, int index, boolean anyPeer, List<PodSelection> podPeers,
                             List<IpBlock> ipBlocks, List<PortMatch> ports) {

    public RuleDefinition {
        podPeers = podPeers.stream().sorted().distinct().toList();
        ipBlocks = ipBlocks.stream().sorted().distinct().toList();
        ports = ports.stream().sorted().distinct().toList();
    }
}
