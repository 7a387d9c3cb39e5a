package dev.stockade.kube;

import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NetworkPolicyInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.List;

/** fabric8's {@code networking.k8s.io/v1} NetworkPolicy to the core's {@link NetworkPolicyInfo}, as written. */
final class NetworkPolicyConverter {

    private NetworkPolicyConverter() {
    }

    static NetworkPolicyInfo convert(NetworkPolicy policy) {
        String namespace = policy.getMetadata().getNamespace() == null ? "default" : policy.getMetadata().getNamespace();
        NetworkPolicySpec spec = policy.getSpec();
        if (spec == null) {
            return new NetworkPolicyInfo(namespace, policy.getMetadata().getName(), null, null, null, null);
        }
        List<NetworkPolicyInfo.Rule> ingress = spec.getIngress() == null ? null : spec.getIngress().stream()
                .map(rule -> new NetworkPolicyInfo.Rule(peers(rule.getFrom()), ports(rule.getPorts()))).toList();
        List<NetworkPolicyInfo.Rule> egress = spec.getEgress() == null ? null : spec.getEgress().stream()
                .map(rule -> new NetworkPolicyInfo.Rule(peers(rule.getTo()), ports(rule.getPorts()))).toList();
        return new NetworkPolicyInfo(namespace, policy.getMetadata().getName(), selector(spec.getPodSelector()),
                spec.getPolicyTypes(), ingress, egress);
    }

    private static List<NetworkPolicyInfo.Peer> peers(List<NetworkPolicyPeer> peers) {
        return peers == null ? null : peers.stream().map(peer -> new NetworkPolicyInfo.Peer(
                selector(peer.getPodSelector()), selector(peer.getNamespaceSelector()),
                peer.getIpBlock() == null ? null
                        : new NetworkPolicyInfo.IpBlockSpec(peer.getIpBlock().getCidr(), peer.getIpBlock().getExcept())))
                .toList();
    }

    private static List<NetworkPolicyInfo.Port> ports(List<NetworkPolicyPort> ports) {
        return ports == null ? null : ports.stream().map(port -> {
            IntOrString value = port.getPort();
            Integer number = value == null ? null : value.getIntVal();
            String name = value == null || value.getIntVal() != null ? null : value.getStrVal();
            return new NetworkPolicyInfo.Port(port.getProtocol(), number, name, port.getEndPort());
        }).toList();
    }

    /** Null stays null: "not given" differs from the empty selector for peers. */
    private static LabelSelectorSpec selector(LabelSelector selector) {
        if (selector == null) {
            return null;
        }
        List<LabelSelectorSpec.Requirement> expressions = selector.getMatchExpressions() == null ? null
                : selector.getMatchExpressions().stream()
                .map(e -> new LabelSelectorSpec.Requirement(e.getKey(), e.getOperator(), e.getValues())).toList();
        return new LabelSelectorSpec(selector.getMatchLabels(), expressions);
    }
}
