package dev.stockade.core.model;

import java.util.List;
import java.util.Map;

/**
 * A Pod: namespace, name, labels, the node it is scheduled on ({@code null} when not yet
 * scheduled), its IPs (empty when it has none yet), its declared container ports, and whether
 * it runs in its node's network namespace ({@code spec.hostNetwork}).
 *
 * <p>A hostNetwork pod has no address of its own: it shares its node's. Kubernetes leaves
 * NetworkPolicy for such pods undefined between two readings, and Stockade takes the second
 * (the one a node-level enforcer can keep): such pods are never selected, neither as a policy's
 * subject nor as a peer, and their traffic is the node's, judged like any other traffic from or
 * to the node's IP (an {@code ipBlock} can match it). So the pod carries no IPs here
 * ({@code ips} is empty whatever its status says), and {@code matrix}/{@code explain} say
 * "not enforced: hostNetwork" instead of a verdict.
 */
public record PodInfo(String namespace, String name, Map<String, String> labels, String nodeName,
                      List<String> ips, List<ContainerPort> ports, boolean hostNetwork) implements Resource {

    public PodInfo {
        labels = Labels.copyOf(labels);
        ips = ips == null || hostNetwork ? List.of() : List.copyOf(ips);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A pod on the pod network. */
    public PodInfo(String namespace, String name, Map<String, String> labels, String nodeName, List<String> ips,
                   List<ContainerPort> ports) {
        this(namespace, name, labels, nodeName, ips, ports, false);
    }

    @Override
    public ObjectRef ref() {
        return new ObjectRef(ResourceKind.POD, namespace, name);
    }

    /** {@code namespace/name}: how pods are named in verdicts and group members. */
    public String key() {
        return namespace + "/" + name;
    }
}
