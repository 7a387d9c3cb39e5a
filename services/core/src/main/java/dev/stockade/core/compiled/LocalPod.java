package dev.stockade.core.compiled;

import dev.stockade.core.model.PodInfo;
import java.util.List;
import java.util.Optional;

/**
 * A pod of the node whose rule set lists it, with an address: its key ({@code namespace/name}) and
 * its IPs (never empty). Every such pod is listed, whether a policy selects it or not, so that an
 * agent knows which of its node's addresses the compiler has decided about: a local address that is
 * in no list has no verdict yet (a pod the compiler has not seen), and a fail-closed agent drops its
 * traffic until it arrives (services/agent/DESIGN.md, "New pods").
 */
public record LocalPod(String pod, List<String> ips) {

    public LocalPod {
        ips = List.copyOf(ips);
    }

    /** The entry a pod is on its node's list; empty while it is unscheduled or has no IP. */
    public static Optional<LocalPod> of(PodInfo pod) {
        if (pod.nodeName() == null || pod.ips().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LocalPod(pod.key(), pod.ips()));
    }
}
