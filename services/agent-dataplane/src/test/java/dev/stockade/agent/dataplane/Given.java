package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.ApplyResult;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.LegacyPolicyInfo;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Given-helpers for dataplane tests: small clusters built from core records and compiled by the
 * core engine, so tests render exactly what an agent would receive.
 */
final class Given {

    private final Engine engine = new Engine();
    private final List<NodeDelta> deltas = new ArrayList<>();

    /** Applies objects as ADDED events; returns this for chaining. */
    Given with(Resource... resources) {
        for (Resource resource : resources) {
            record(engine.apply(ResourceEvent.added(resource)));
        }
        return this;
    }

    /** Applies one event and returns the deltas it caused. */
    List<NodeDelta> apply(ResourceEvent event) {
        int before = deltas.size();
        record(engine.apply(event));
        return List.copyOf(deltas.subList(before, deltas.size()));
    }

    private void record(ApplyResult result) {
        if (!result.rejections().isEmpty()) {
            throw new IllegalArgumentException("rejected: " + result.rejections());
        }
        deltas.addAll(result.deltas());
    }

    NodeRuleSet node(String node) {
        return engine.ruleSet(node);
    }

    Engine engine() {
        return engine;
    }

    static NamespaceInfo namespace(String name) {
        return new NamespaceInfo(name, Map.of("ns", name), Map.of());
    }

    static NamespaceInfo isolatedNamespace(String name) {
        return new NamespaceInfo(name, Map.of("ns", name), Map.of(NamespaceInfo.ALPHA_ISOLATION, "on"));
    }

    /** A pod serving 80 and 81 on TCP, UDP and SCTP with ports named serve-PORT-PROTO (the conformance model). */
    static PodInfo pod(String namespace, String name, String node, String ip, Map<String, String> labels) {
        List<ContainerPort> ports = new ArrayList<>();
        for (int port : new int[] {80, 81}) {
            for (Protocol protocol : Protocol.values()) {
                ports.add(new ContainerPort("serve-" + port + "-" + protocol.lowerCase(), port, protocol));
            }
        }
        return new PodInfo(namespace, name, labels, node, List.of(ip), ports);
    }

    static LabelSelectorSpec labels(String... keyValues) {
        return LabelSelectorSpec.ofLabels(map(keyValues));
    }

    static Map<String, String> map(String... keyValues) {
        java.util.TreeMap<String, String> map = new java.util.TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static NetworkPolicyInfo.Peer pods(LabelSelectorSpec selector) {
        return new NetworkPolicyInfo.Peer(selector, null, null);
    }

    static NetworkPolicyInfo.Peer block(String cidr, String... except) {
        return new NetworkPolicyInfo.Peer(null, null, new NetworkPolicyInfo.IpBlockSpec(cidr, List.of(except)));
    }

    static NetworkPolicyInfo.Port port(String protocol, int number) {
        return new NetworkPolicyInfo.Port(protocol, number, null, null);
    }

    static NetworkPolicyInfo.Port portRange(String protocol, int number, int endPort) {
        return new NetworkPolicyInfo.Port(protocol, number, null, endPort);
    }

    static NetworkPolicyInfo.Port namedPort(String protocol, String name) {
        return new NetworkPolicyInfo.Port(protocol, null, name, null);
    }

    static NetworkPolicyInfo.Rule rule(List<NetworkPolicyInfo.Peer> peers, List<NetworkPolicyInfo.Port> ports) {
        return new NetworkPolicyInfo.Rule(peers, ports);
    }

    static NetworkPolicyInfo ingressPolicy(String namespace, String name, LabelSelectorSpec selector,
                                           NetworkPolicyInfo.Rule... rules) {
        return new NetworkPolicyInfo(namespace, name, selector, List.of("Ingress"), List.of(rules), null);
    }

    static NetworkPolicyInfo egressPolicy(String namespace, String name, LabelSelectorSpec selector,
                                          NetworkPolicyInfo.Rule... rules) {
        return new NetworkPolicyInfo(namespace, name, selector, List.of("Egress"), null, List.of(rules));
    }

    /** The 2016 example policy: backend pods accept TCP 80 from frontend pods. */
    static LegacyPolicyInfo tenantAPolicy() {
        return new LegacyPolicyInfo("tenant-a", "pol1", map("segment", "backend"), List.of(new LegacyPolicyInfo.Rule(
                List.of(new LegacyPolicyInfo.Peer(map("segment", "frontend"), null)),
                List.of(new LegacyPolicyInfo.Port("TCP", 80, null)))));
    }
}
