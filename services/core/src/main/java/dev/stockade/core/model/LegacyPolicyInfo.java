package dev.stockade.core.model;

import java.util.List;
import java.util.Map;

/**
 * A 2016 {@code net.alpha.kubernetes.io/v1alpha1} NetworkPolicy as written.
 *
 * <p>{@code podSelector} is a plain label map (null or empty = every pod of the namespace).
 * {@code allowIncoming} null means no rules (the adapter turns a single rule into a one-element
 * list). Legacy policies never isolate; they only add ingress allows for the pods they select.
 */
public record LegacyPolicyInfo(String namespace, String name, Map<String, String> podSelector,
                               List<Rule> allowIncoming) implements Resource {

    public LegacyPolicyInfo {
        podSelector = Labels.copyOf(podSelector);
        allowIncoming = allowIncoming == null ? List.of() : List.copyOf(allowIncoming);
    }

    @Override
    public ObjectRef ref() {
        return new ObjectRef(ResourceKind.LEGACY_NETWORK_POLICY, namespace, name);
    }

    /** One rule: {@code from} (null or empty = any source) and {@code toPorts} (null or empty = all ports). */
    public record Rule(List<Peer> from, List<Port> toPorts) {
        public Rule {
            from = from == null ? List.of() : List.copyOf(from);
            toPorts = toPorts == null ? List.of() : List.copyOf(toPorts);
        }
    }

    /**
     * {@code {pods: labels}} (pods of the policy's namespace), {@code {namespaces: labels}} (every
     * pod of matching namespaces), or both (matching pods in matching namespaces). Null means
     * "not given"; a peer with neither is malformed.
     */
    public record Peer(Map<String, String> pods, Map<String, String> namespaces) {
    }

    /**
     * {@code {port, protocol}}: protocol text (null = TCP); port as a number, a name, or neither
     * (every port of the protocol).
     */
    public record Port(String protocol, Integer number, String name) {
    }
}
