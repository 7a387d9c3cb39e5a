package dev.stockade.core.policy;

import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.Protocol;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@code networking.k8s.io/v1} NetworkPolicy into a {@link PolicyDefinition}, applying the
 * API server's validation and defaulting. Rejections name the field.
 */
public final class PolicyValidator {

    private PolicyValidator() {
    }

    /** Validates and defaults one v1 policy. */
    public static Validation validate(NetworkPolicyInfo policy) {
        Validation.Problems problems = new Validation.Problems(policy.ref());
        Selector podSelector = SelectorParser.parse(policy.podSelector(), "spec.podSelector", problems);
        Set<Direction> types = policyTypes(policy, problems);
        List<RuleDefinition> rules = new ArrayList<>();
        if (types.contains(Direction.INGRESS)) {
            rules(policy.ingress(), Direction.INGRESS, policy.namespace(), problems, rules);
        }
        if (types.contains(Direction.EGRESS)) {
            rules(policy.egress(), Direction.EGRESS, policy.namespace(), problems, rules);
        }
        if (problems.any()) {
            return problems.result(null);
        }
        PolicyRef ref = new PolicyRef(PolicyKind.NetworkPolicy, policy.namespace(), policy.name());
        return problems.result(new PolicyDefinition(ref, new PodSelection.InNamespace(policy.namespace(), podSelector),
                types, rules));
    }

    /**
     * "If this field is not specified, it will default based on the existence of ingress or egress
     * rules; policies that contain an egress section are assumed to affect egress, and all
     * policies (whether or not they contain an ingress section) are assumed to affect ingress."
     */
    private static Set<Direction> policyTypes(NetworkPolicyInfo policy, Validation.Problems problems) {
        Set<Direction> types = EnumSet.noneOf(Direction.class);
        if (policy.policyTypes() == null || policy.policyTypes().isEmpty()) {
            types.add(Direction.INGRESS);
            if (!policy.egress().isEmpty()) {
                types.add(Direction.EGRESS);
            }
            return types;
        }
        for (int i = 0; i < policy.policyTypes().size(); i++) {
            String type = policy.policyTypes().get(i);
            Direction direction = "Ingress".equals(type) ? Direction.INGRESS
                    : "Egress".equals(type) ? Direction.EGRESS : null;
            if (direction == null) {
                problems.reject("spec.policyTypes[" + i + "]", "unsupported value '" + type + "' (expected Ingress or Egress)");
            } else if (!types.add(direction)) {
                problems.reject("spec.policyTypes[" + i + "]", "duplicate value '" + type + "'");
            }
        }
        return types;
    }

    private static void rules(List<NetworkPolicyInfo.Rule> written, Direction direction, String namespace,
                              Validation.Problems problems, List<RuleDefinition> into) {
        String section = direction == Direction.INGRESS ? "spec.ingress" : "spec.egress";
        String peersName = direction == Direction.INGRESS ? "from" : "to";
        for (int index = 0; index < written.size(); index++) {
            NetworkPolicyInfo.Rule rule = written.get(index);
            String at = section + "[" + index + "]";
            List<PodSelection> podPeers = new ArrayList<>();
            List<IpBlock> ipBlocks = new ArrayList<>();
            for (int p = 0; p < rule.peers().size(); p++) {
                peer(rule.peers().get(p), namespace, at + "." + peersName + "[" + p + "]", problems, podPeers, ipBlocks);
            }
            List<PortMatch> ports = new ArrayList<>();
            for (int p = 0; p < rule.ports().size(); p++) {
                port(rule.ports().get(p), at + ".ports[" + p + "]", problems).ifPresent(ports::add);
            }
            boolean anyPeer = rule.peers().isEmpty();
            into.addAll(RuleSplitter.split(direction, index, anyPeer, podPeers, ipBlocks, ports));
        }
    }

    private static void peer(NetworkPolicyInfo.Peer peer, String namespace, String at, Validation.Problems problems,
                             List<PodSelection> podPeers, List<IpBlock> ipBlocks) {
        boolean selectors = peer.podSelector() != null || peer.namespaceSelector() != null;
        if (peer.ipBlock() != null) {
            if (selectors) {
                problems.reject(at, "ipBlock may not be combined with podSelector or namespaceSelector");
                return;
            }
            ipBlock(peer.ipBlock(), at + ".ipBlock", problems).ifPresent(ipBlocks::add);
            return;
        }
        if (!selectors) {
            problems.reject(at, "a peer must set podSelector, namespaceSelector or ipBlock");
            return;
        }
        Selector pods = peer.podSelector() == null ? Selector.ALL
                : SelectorParser.parse(peer.podSelector(), at + ".podSelector", problems);
        if (peer.namespaceSelector() == null) {
            if (pods != null) {
                podPeers.add(new PodSelection.InNamespace(namespace, pods));
            }
            return;
        }
        Selector namespaces = SelectorParser.parse(peer.namespaceSelector(), at + ".namespaceSelector", problems);
        if (pods != null && namespaces != null) {
            podPeers.add(new PodSelection.AcrossNamespaces(namespaces, pods));
        }
    }

    /** "Except is a slice of CIDRs that should not be included within an IPBlock ... rejected if outside the cidr." */
    static Optional<IpBlock> ipBlock(NetworkPolicyInfo.IpBlockSpec spec, String at, Validation.Problems problems) {
        Optional<Cidr> cidr = Cidr.parse(spec.cidr());
        if (cidr.isEmpty()) {
            problems.reject(at + ".cidr", "'" + spec.cidr() + "' is not a valid CIDR");
            return Optional.empty();
        }
        List<Cidr> except = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < spec.except().size(); i++) {
            String text = spec.except().get(i);
            Optional<Cidr> hole = Cidr.parse(text);
            if (hole.isEmpty()) {
                problems.reject(at + ".except[" + i + "]", "'" + text + "' is not a valid CIDR");
                ok = false;
            } else if (!cidr.get().contains(hole.get()) || hole.get().prefixLength() <= cidr.get().prefixLength()) {
                problems.reject(at + ".except[" + i + "]", "'" + text + "' must be a strict subset of cidr " + spec.cidr());
                ok = false;
            } else {
                except.add(hole.get());
            }
        }
        return ok ? Optional.of(new IpBlock(cidr.get(), except)) : Optional.empty();
    }

    private static Optional<PortMatch> port(NetworkPolicyInfo.Port port, String at, Validation.Problems problems) {
        Protocol protocol = PortParser.protocol(port.protocol(), at + ".protocol", problems);
        if (port.endPort() != null && port.number() == null) {
            problems.reject(at + ".endPort", "endPort requires a numeric port"
                    + (port.name() != null ? " (port is the named port '" + port.name() + "')" : ""));
            return Optional.empty();
        }
        if (protocol == null) {
            return Optional.empty();
        }
        if (port.name() != null) {
            return PortParser.validName(port.name(), at + ".port", problems)
                    ? Optional.of(PortMatch.named(protocol, port.name())) : Optional.empty();
        }
        if (port.number() == null) {
            return Optional.of(PortMatch.allOf(protocol));
        }
        if (!PortParser.validNumber(port.number(), at + ".port", problems)) {
            return Optional.empty();
        }
        int end = port.endPort() == null ? port.number() : port.endPort();
        if (end < port.number() || end > PortMatch.MAX_PORT) {
            problems.reject(at + ".endPort", "endPort " + end + " must be between port " + port.number() + " and 65535");
            return Optional.empty();
        }
        return Optional.of(PortMatch.range(protocol, port.number(), end));
    }
}
