package dev.stockade.core.compiled;

import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * One pod in a group: its key ({@code namespace/name}), node ({@code null} when unscheduled),
 * IPs (empty when it has none) and named ports (what named rule ports resolve to on it).
 */
public record GroupMember(String pod, String node, List<String> ips, List<NamedPort> namedPorts) {

    public GroupMember {
        ips = List.copyOf(ips);
        namedPorts = namedPorts.stream().sorted().toList();
    }

    /** The member a pod is in every group it belongs to. */
    public static GroupMember of(PodInfo pod) {
        List<NamedPort> named = pod.ports().stream()
                .filter(port -> port.name() != null && !port.name().isEmpty())
                .map(GroupMember::named)
                .distinct()
                .toList();
        return new GroupMember(pod.key(), pod.nodeName(), pod.ips(), named);
    }

    private static NamedPort named(ContainerPort port) {
        return new NamedPort(port.name(), port.protocol(), port.port());
    }

    /** The number a named port resolves to on this pod for a protocol, if it declares it. */
    public Optional<Integer> resolve(String name, Protocol protocol) {
        for (NamedPort port : namedPorts) {
            if (port.name().equals(name) && port.protocol() == protocol) {
                return Optional.of(port.port());
            }
        }
        return Optional.empty();
    }
}
