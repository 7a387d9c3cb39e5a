package dev.stockade.core.model;

import java.util.List;

/**
 * A {@code networking.k8s.io/v1} NetworkPolicy as written, before validation.
 *
 * <p>{@code podSelector} null is treated like the empty selector (all pods of the namespace).
 * {@code policyTypes} null means "not set": the API server's default applies (Ingress, plus
 * Egress when {@code egress} is non-empty). {@code ingress}/{@code egress} null mean no rules.
 */
public record NetworkPolicyInfo(String namespace, String name, LabelSelectorSpec podSelector,
                                List<String> policyTypes, List<Rule> ingress, List<Rule> egress)
        implements Resource {

    public NetworkPolicyInfo {
        podSelector = podSelector == null ? LabelSelectorSpec.ALL : podSelector;
        policyTypes = policyTypes == null ? null : List.copyOf(policyTypes);
        ingress = ingress == null ? List.of() : List.copyOf(ingress);
        egress = egress == null ? List.of() : List.copyOf(egress);
    }

    @Override
    public ObjectRef ref() {
        return new ObjectRef(ResourceKind.NETWORK_POLICY, namespace, name);
    }

    /**
     * One ingress or egress rule: its peers ({@code from} or {@code to}; empty = every peer) and
     * ports (empty = every port).
     */
    public record Rule(List<Peer> peers, List<Port> ports) {
        public Rule {
            peers = peers == null ? List.of() : List.copyOf(peers);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /**
     * One {@code NetworkPolicyPeer}. Exactly one of {@code ipBlock} or the selectors should be
     * set; podSelector and namespaceSelector together mean pods matching both (AND). A null
     * selector is "not given", which differs from the empty selector.
     */
    public record Peer(LabelSelectorSpec podSelector, LabelSelectorSpec namespaceSelector, IpBlockSpec ipBlock) {
    }

    /** {@code ipBlock}: a CIDR and CIDRs inside it to leave out (null means none). */
    public record IpBlockSpec(String cidr, List<String> except) {
        public IpBlockSpec {
            except = except == null ? List.of() : List.copyOf(except);
        }
    }

    /**
     * One {@code NetworkPolicyPort}: protocol text (null = TCP), port as number or name (both
     * null = every port of the protocol), and optional {@code endPort} (needs a numeric port).
     */
    public record Port(String protocol, Integer number, String name, Integer endPort) {
    }
}
