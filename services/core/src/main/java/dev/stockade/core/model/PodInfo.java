package dev.stockade.core.model;

import java.util.List;
import java.util.Map;

/**
 * A Pod: namespace, name, labels, the node it is scheduled on ({@code null} when not yet
 * scheduled), its IPs (empty when it has none yet) and its declared container ports.
 */
public record PodInfo(String namespace, String name, Map<String, String> labels, String nodeName,
                      List<String> ips, List<ContainerPort> ports) implements Resource {

    public PodInfo {
        labels = Labels.copyOf(labels);
        ips = ips == null ? List.of() : List.copyOf(ips);
        ports = ports == null ? List.of() : List.copyOf(ports);
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
