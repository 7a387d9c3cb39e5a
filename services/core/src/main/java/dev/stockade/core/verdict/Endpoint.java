package dev.stockade.core.verdict;

import dev.stockade.core.model.PodInfo;
import dev.stockade.core.policy.IpAddress;
import java.util.Optional;

/**
 * A pod as a traffic endpoint: key ({@code ns/pod}), node ({@code null} when unscheduled) and the
 * IP it sends from and is reached on (its primary IP).
 */
public record Endpoint(String pod, String node, String ip) {

    /** The pod as an endpoint; empty when it has no IP. */
    public static Optional<Endpoint> of(PodInfo pod) {
        return pod.ips().isEmpty() ? Optional.empty() : Optional.of(new Endpoint(pod.key(), pod.nodeName(), pod.ips().get(0)));
    }

    IpAddress address() {
        return IpAddress.parse(ip).orElseThrow(() -> new IllegalArgumentException("pod " + pod + " has IP '" + ip
                + "', which is not an IP address"));
    }
}
