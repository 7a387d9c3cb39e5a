package dev.stockade.core.verdict;

import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.model.PodInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The connectivity matrix: every ordered pair of pods that some node enforces for (self pairs
 * included), every probe. A verdict is only printed where a node holds it: pods on the pod
 * network with an IP and a node. The others are listed by {@link #notEnforced} with the reason.
 */
public final class Matrix {

    private Matrix() {
    }

    /** A pod no node enforces a verdict for, and why. */
    public record NotEnforced(String pod, String reason) {
    }

    /** Pods with an IP and a node, sorted by {@code ns/name}. */
    public static List<Endpoint> endpoints(ClusterState state) {
        return state.pods().values().stream().filter(pod -> pod.nodeName() != null).map(Endpoint::of)
                .flatMap(Optional::stream).sorted(Comparator.comparing(Endpoint::pod)).toList();
    }

    /**
     * Pods that would otherwise look like endpoints but that no node enforces for: hostNetwork
     * pods (their traffic is their node's) and pods with an address but no node (only a manifest
     * file can hold one), sorted by {@code ns/name}.
     */
    public static List<NotEnforced> notEnforced(ClusterState state) {
        List<NotEnforced> pods = new ArrayList<>();
        for (PodInfo pod : state.pods().values()) {
            if (pod.hostNetwork()) {
                pods.add(new NotEnforced(pod.key(), "hostNetwork: the pod shares its node's address, and its traffic"
                        + " is the node's; no policy selects it"));
            } else if (pod.nodeName() == null && !pod.ips().isEmpty()) {
                pods.add(new NotEnforced(pod.key(), "no node: the pod has an address but no spec.nodeName, so no node"
                        + " holds its rules"));
            }
        }
        pods.sort(Comparator.comparing(NotEnforced::pod));
        return pods;
    }

    /** Verdicts ordered by from, to, then probe order. */
    public static List<Verdict> compute(List<Endpoint> endpoints, List<Probe> probes, Connectivity evaluator) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Endpoint from : endpoints) {
            for (Endpoint to : endpoints) {
                for (Probe probe : probes) {
                    verdicts.add(new Verdict(from.pod(), to.pod(), probe.protocol(), probe.port(),
                            evaluator.allowed(from, to, probe)));
                }
            }
        }
        return verdicts;
    }
}
