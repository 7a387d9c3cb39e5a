package dev.stockade.agent.dataplane;

import java.util.Map;

/**
 * How pods are wired on the node, which decides what must hold for the forward-hook rules to see
 * pod traffic at all. The rules themselves identify pods by IP and are the same for both.
 */
public enum NodeLayout {
    /**
     * Each pod on its own veth with a /32 route (Calico-style): pod-to-pod traffic is routed, so it
     * always passes the IP forward hook. Nothing extra is needed.
     */
    ROUTED(Map.of()),
    /**
     * Pods on a Linux bridge: bridged frames reach the IP hooks only through br_netfilter, and with
     * {@code bridge-nf-call-iptables} at 0 every rule is silently bypassed (fails open).
     */
    BRIDGED(Map.of("net/bridge/bridge-nf-call-iptables", "1"));

    private final Map<String, String> requiredSysctls;

    NodeLayout(Map<String, String> requiredSysctls) {
        this.requiredSysctls = requiredSysctls;
    }

    /** sysctl path (under /proc/sys) to the value it must have; empty when nothing is required. */
    public Map<String, String> requiredSysctls() {
        return requiredSysctls;
    }
}
