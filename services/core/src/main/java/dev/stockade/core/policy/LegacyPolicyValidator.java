package dev.stockade.core.policy;

import dev.stockade.core.model.LegacyPolicyInfo;
import dev.stockade.core.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a 2016 {@code net.alpha.kubernetes.io/v1alpha1} NetworkPolicy into a
 * {@link PolicyDefinition} with ingress rules and no isolation.
 *
 * <p>2016 semantics: {@code podSelector} is a label map (empty = every pod of the namespace);
 * each {@code allowIncoming} rule allows {@code from} (absent or empty = any source; {@code pods} =
 * pods of the policy's namespace, {@code namespaces} = every pod of matching namespaces, both =
 * matching pods in matching namespaces) on {@code toPorts} (absent or empty = all ports; an entry
 * without port = every port of its protocol; a string port is a named port).
 */
public final class LegacyPolicyValidator {

    private LegacyPolicyValidator() {
    }

    public static Validation validate(LegacyPolicyInfo policy) {
        Validation.Problems problems = new Validation.Problems(policy.ref());
        List<RuleDefinition> rules = new ArrayList<>();
        for (int index = 0; index < policy.allowIncoming().size(); index++) {
            LegacyPolicyInfo.Rule rule = policy.allowIncoming().get(index);
            String at = "spec.allowIncoming[" + index + "]";
            List<PodSelection> peers = new ArrayList<>();
            for (int p = 0; p < rule.from().size(); p++) {
                peer(rule.from().get(p), policy.namespace(), at + ".from[" + p + "]", problems).ifPresent(peers::add);
            }
            List<PortMatch> ports = new ArrayList<>();
            for (int p = 0; p < rule.toPorts().size(); p++) {
                port(rule.toPorts().get(p), at + ".toPorts[" + p + "]", problems).ifPresent(ports::add);
            }
            rules.add(new RuleDefinition(Direction.INGRESS, index, rule.from().isEmpty(), peers, List.of(), ports));
        }
        if (problems.any()) {
            return problems.result(null);
        }
        PolicyRef ref = new PolicyRef(PolicyKind.LegacyNetworkPolicy, policy.namespace(), policy.name());
        PodSelection.InNamespace appliedTo = new PodSelection.InNamespace(policy.namespace(),
                Selector.ofLabels(policy.podSelector()));
        return problems.result(new PolicyDefinition(ref, appliedTo, Set.of(), rules));
    }

    private static Optional<PodSelection> peer(LegacyPolicyInfo.Peer peer, String namespace, String at,
                                               Validation.Problems problems) {
        if (peer.pods() == null && peer.namespaces() == null) {
            problems.reject(at, "a from entry must set pods or namespaces");
            return Optional.empty();
        }
        Selector pods = peer.pods() == null ? Selector.ALL : Selector.ofLabels(peer.pods());
        if (peer.namespaces() == null) {
            return Optional.of(new PodSelection.InNamespace(namespace, pods));
        }
        return Optional.of(new PodSelection.AcrossNamespaces(Selector.ofLabels(peer.namespaces()), pods));
    }

    private static Optional<PortMatch> port(LegacyPolicyInfo.Port port, String at, Validation.Problems problems) {
        Protocol protocol = PortParser.protocol(port.protocol(), at + ".protocol", problems);
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
        return PortParser.validNumber(port.number(), at + ".port", problems)
                ? Optional.of(PortMatch.range(protocol, port.number(), port.number())) : Optional.empty();
    }
}
