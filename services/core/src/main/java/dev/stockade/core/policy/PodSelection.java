package dev.stockade.core.policy;

import dev.stockade.core.model.PodInfo;
import java.util.Map;
import java.util.Optional;

/**
 * A set of pods defined by a rule or policy: the key of a group. Two policies that select the
 * same pods the same way share one group.
 */
public sealed interface PodSelection extends Comparable<PodSelection> {

    /** True if the pod (with its namespace's effective labels) belongs to the selection. */
    boolean matches(PodInfo pod, Map<String, String> namespaceLabels);

    /** The one namespace this selection is confined to, or empty when it spans namespaces. */
    Optional<String> namespaceScope();

    /** Stable text form; equal selections have equal canonical forms. */
    String canonical();

    @Override
    default int compareTo(PodSelection other) {
        return canonical().compareTo(other.canonical());
    }

    /** Pods of one namespace matching a pod selector (a policy's podSelector, or a peer's alone). */
    record InNamespace(String namespace, Selector pods) implements PodSelection {
        @Override
        public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
            return pod.namespace().equals(namespace) && pods.matches(pod.labels());
        }

        @Override
        public Optional<String> namespaceScope() {
            return Optional.of(namespace);
        }

        @Override
        public String canonical() {
            return "ns=" + namespace + ";pods=" + pods.canonical();
        }
    }

    /** Pods matching a pod selector in every namespace matching a namespace selector (AND). */
    record AcrossNamespaces(Selector namespaces, Selector pods) implements PodSelection {
        @Override
        public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
            return namespaces.matches(namespaceLabels) && pods.matches(pod.labels());
        }

        @Override
        public Optional<String> namespaceScope() {
            return Optional.empty();
        }

        @Override
        public String canonical() {
            return "namespaces=" + namespaces.canonical() + ";pods=" + pods.canonical();
        }
    }

    /**
     * Pods with an IP inside an ipBlock: used only to resolve named ports of egress rules whose
     * peer is an ipBlock (a named port is a property of a pod, so only pod IPs can match it).
     */
    record InIpBlock(IpBlock block) implements PodSelection {
        @Override
        public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
            for (String ip : pod.ips()) {
                Optional<IpAddress> address = IpAddress.parse(ip);
                if (address.isPresent() && block.contains(address.get())) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Optional<String> namespaceScope() {
            return Optional.empty();
        }

        @Override
        public String canonical() {
            return "ipBlock=" + block.canonical();
        }
    }
}
