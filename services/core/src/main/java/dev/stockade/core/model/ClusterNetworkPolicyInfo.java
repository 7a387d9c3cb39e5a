package dev.stockade.core.model;

import java.util.List;

/**
 * A {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy as written, before validation
 * (see {@code services/core/CLUSTER-NETWORK-POLICY.md} for its meaning and the validation rules).
 *
 * <p>The shape follows upstream's Go types field for field so an adapter maps JSON to it directly.
 * Enumerations ({@code tier}, {@code action}) stay text so the validator can reject unknown values
 * with the field named. {@code null} always means "the field was absent"; where upstream's schema
 * tells absent from empty ({@code MinItems=1} lists such as {@code from}, {@code to},
 * {@code protocols}, {@code networks}) a present empty list is kept as an empty list, so the
 * validator can reject it. {@code ingress}/{@code egress} null mean no rules (the schema has no
 * {@code MinItems} there, so absent and empty are the same).
 *
 * <p>Cluster-scoped: its {@link #ref()} has the empty namespace. An identity-only instance (as a
 * DELETED event carries) has every field but {@code name} null.
 *
 * @param name     {@code metadata.name} (the object is cluster-scoped)
 * @param tier     {@code spec.tier}: {@code Admin} or {@code Baseline}; null when absent
 * @param priority {@code spec.priority}: 0-1000, lower first; null when absent
 * @param subject  {@code spec.subject}; null when absent
 * @param ingress  {@code spec.ingress}, in precedence order
 * @param egress   {@code spec.egress}, in precedence order
 */
public record ClusterNetworkPolicyInfo(String name, String tier, Integer priority, Subject subject,
                                       List<IngressRule> ingress, List<EgressRule> egress) implements Resource {

    public ClusterNetworkPolicyInfo {
        ingress = ingress == null ? List.of() : List.copyOf(ingress);
        egress = egress == null ? List.of() : List.copyOf(egress);
    }

    /** {@code ClusterNetworkPolicy <name>}: cluster-scoped, so the namespace is empty. */
    @Override
    public ObjectRef ref() {
        return new ObjectRef(ResourceKind.CLUSTER_NETWORK_POLICY, "", name);
    }

    /**
     * {@code spec.subject}: exactly one of {@code namespaces} (every pod of the matching namespaces)
     * or {@code pods} (matching pods in matching namespaces). Null fields are absent.
     */
    public record Subject(LabelSelectorSpec namespaces, NamespacedPod pods) {
    }

    /**
     * {@code NamespacedPod}: {@code namespaceSelector} null or empty selects every namespace;
     * {@code podSelector} is required (null = absent, rejected), empty selects every pod.
     */
    public record NamespacedPod(LabelSelectorSpec namespaceSelector, LabelSelectorSpec podSelector) {
    }

    /**
     * One ingress rule: optional {@code name} (at most 100 characters), {@code action} text
     * ({@code Accept}, {@code Deny}, {@code Pass}), {@code from} (required, 1-25 peers) and
     * {@code protocols} (null = every protocol and port; otherwise 1-25 entries, any of which matches).
     */
    public record IngressRule(String name, String action, List<IngressPeer> from, List<ProtocolSpec> protocols) {
        public IngressRule {
            from = from == null ? null : List.copyOf(from);
            protocols = protocols == null ? null : List.copyOf(protocols);
        }
    }

    /** One egress rule; like {@link IngressRule} with {@code to} (required, 1-25 peers). */
    public record EgressRule(String name, String action, List<EgressPeer> to, List<ProtocolSpec> protocols) {
        public EgressRule {
            to = to == null ? null : List.copyOf(to);
            protocols = protocols == null ? null : List.copyOf(protocols);
        }
    }

    /** An ingress peer: exactly one of {@code namespaces} or {@code pods}; both null = no known field set. */
    public record IngressPeer(LabelSelectorSpec namespaces, NamespacedPod pods) {
    }

    /**
     * An egress peer: exactly one of {@code namespaces}, {@code pods}, {@code networks} (CIDRs, 1-25)
     * and the experimental-channel {@code nodes} and {@code domainNames}, which Stockade reads so it
     * can count them but does not implement (the rule then fails closed, as upstream prescribes for
     * a peer it cannot interpret). All null = no known field set.
     */
    public record EgressPeer(LabelSelectorSpec namespaces, NamespacedPod pods, List<String> networks,
                             LabelSelectorSpec nodes, List<String> domainNames) {
        public EgressPeer {
            networks = networks == null ? null : List.copyOf(networks);
            domainNames = domainNames == null ? null : List.copyOf(domainNames);
        }

        /** A namespaces, pods or networks peer (the standard channel's fields). */
        public EgressPeer(LabelSelectorSpec namespaces, NamespacedPod pods, List<String> networks) {
            this(namespaces, pods, networks, null, null);
        }
    }

    /**
     * One {@code protocols} entry: exactly one of {@code tcp}, {@code udp}, {@code sctp} (each with
     * its {@code destinationPort}) or {@code destinationNamedPort} (a container port name on the
     * destination pod, whatever its protocol).
     */
    public record ProtocolSpec(PortSelector tcp, PortSelector udp, PortSelector sctp, String destinationNamedPort) {

        public static ProtocolSpec tcp(DestinationPort port) {
            return new ProtocolSpec(new PortSelector(port), null, null, null);
        }

        public static ProtocolSpec udp(DestinationPort port) {
            return new ProtocolSpec(null, new PortSelector(port), null, null);
        }

        public static ProtocolSpec sctp(DestinationPort port) {
            return new ProtocolSpec(null, null, new PortSelector(port), null);
        }

        public static ProtocolSpec namedPort(String name) {
            return new ProtocolSpec(null, null, null, name);
        }
    }

    /** The {@code tcp}/{@code udp}/{@code sctp} object: {@code destinationPort} (null = written as {@code {}}, rejected). */
    public record PortSelector(DestinationPort destinationPort) {
    }

    /** {@code destinationPort}: exactly one of {@code number} (1-65535) or {@code range}. */
    public record DestinationPort(Integer number, PortRange range) {

        public static DestinationPort number(int number) {
            return new DestinationPort(number, null);
        }

        public static DestinationPort range(int start, int end) {
            return new DestinationPort(null, new PortRange(start, end));
        }
    }

    /** {@code range}: {@code start} and {@code end} required, each 1-65535, {@code start < end}; inclusive. */
    public record PortRange(Integer start, Integer end) {
    }
}
