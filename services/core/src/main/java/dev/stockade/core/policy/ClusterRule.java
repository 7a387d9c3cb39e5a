package dev.stockade.core.policy;

import java.util.List;

/**
 * One validated rule of a ClusterNetworkPolicy.
 *
 * <p>{@code index} is the rule's position as written ({@code spec.ingress[i]} or
 * {@code spec.egress[i]}); rules of one direction are evaluated in index order and the first that
 * matches decides for its policy. {@code name} is the optional rule name (null when absent).
 *
 * <p>Peers: the rule matches a peer that is one of {@code pods} (each a namespace selector AND a
 * pod selector; a {@code namespaces} peer is {@code pods} with the empty pod selector) or whose
 * address lies in one of {@code networks} (egress only). {@code anyPeer} is only ever true for a
 * rule that fails closed. Ports: empty means every protocol and port; otherwise the union of the
 * {@link PortMatch}es. A {@code destinationNamedPort} is held as the named port on each of TCP,
 * UDP and SCTP: it matches the destination pod's container port of that name, whatever its
 * protocol.
 *
 * <p>{@code failedClosed} is null for a rule as written. Otherwise it says why the rule is
 * treated as "Deny all" (upstream: a Deny or Pass rule with a peer the implementation cannot
 * interpret); such a rule has action {@link RuleAction#DENY}, {@code anyPeer} and no ports.
 */
public record ClusterRule(Direction direction, int index, String name, RuleAction action, boolean anyPeer,
                          List<PodSelection> pods, List<Cidr> networks, List<PortMatch> ports, String failedClosed) {

    public ClusterRule {
        pods = pods.stream().sorted().distinct().toList();
        networks = networks.stream().sorted().distinct().toList();
        ports = ports.stream().sorted().distinct().toList();
    }

    /** {@code ingress[2]} or {@code egress[0]}: how the rule is found in its policy. */
    public String position() {
        return (direction == Direction.INGRESS ? "ingress" : "egress") + "[" + index + "]";
    }
}
