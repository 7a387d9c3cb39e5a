package dev.stockade.core.engine;

import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.EventType;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.LegacyPolicyInfo;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random clusters and event sequences over a small vocabulary, so that names, labels, IPs and
 * ports collide often: 3 namespaces, 4 pod names, 4 nodes, 3 label keys with 3 values, named
 * ports with the same name but different numbers, every peer and port form, invalid policies,
 * both 2016 annotations, namespace deletion, a few hostNetwork pods, and ClusterNetworkPolicies of
 * both tiers (equal priorities, every action, every peer form including peers that fail closed,
 * CIDRs covering pod addresses, named ports, and invalid ones).
 */
public final class RandomClusters {

    private static final List<String> NAMESPACES = List.of("n0", "n1", "n2");
    private static final List<String> NODES = List.of("node0", "node1", "node2", "node3");

    private RandomClusters() {
    }

    public static Arbitrary<List<ResourceEvent>> eventSequences() {
        return event().list().ofMinSize(1).ofMaxSize(60);
    }

    /**
     * A populated cluster: 4-12 pods added, then a random event sequence, then 1-4 ClusterNetworkPolicies
     * added, so that most samples have endpoints and policies of every tier in force.
     */
    public static Arbitrary<List<ResourceEvent>> populatedClusters() {
        Arbitrary<List<ResourceEvent>> pods = pod().map(ResourceEvent::added).list().ofMinSize(4).ofMaxSize(12);
        Arbitrary<List<ResourceEvent>> clusterPolicies = RandomClusterPolicies.clusterPolicy().map(ResourceEvent::added)
                .list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(pods, eventSequences(), clusterPolicies).as((first, then, last) -> {
            List<ResourceEvent> all = new java.util.ArrayList<>(first);
            all.addAll(then);
            all.addAll(last);
            return all;
        });
    }

    static Arbitrary<ResourceEvent> event() {
        Arbitrary<Resource> resource = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, namespace()), net.jqwik.api.Tuple.of(6, pod()),
                net.jqwik.api.Tuple.of(5, policy()), net.jqwik.api.Tuple.of(2, legacyPolicy()),
                net.jqwik.api.Tuple.of(4, RandomClusterPolicies.clusterPolicy()));
        Arbitrary<EventType> type = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(5, EventType.ADDED), net.jqwik.api.Tuple.of(3, EventType.MODIFIED),
                net.jqwik.api.Tuple.of(2, EventType.DELETED));
        return Combinators.combine(type, resource).as(ResourceEvent::new);
    }

    static Arbitrary<Map<String, String>> labels() {
        return Arbitraries.maps(Arbitraries.of("app", "tier", "team"), Arbitraries.of("a", "b", "c")).ofMaxSize(2);
    }

    static Arbitrary<Resource> namespace() {
        Arbitrary<Map<String, String>> annotations = Arbitraries.of(
                Map.<String, String>of(), Map.of(NamespaceInfo.ALPHA_ISOLATION, "on"),
                Map.of(NamespaceInfo.ALPHA_ISOLATION, "OFF"),
                Map.of(NamespaceInfo.BETA_POLICY, "{\"ingress\":{\"isolation\":\"DefaultDeny\"}}"),
                Map.of(NamespaceInfo.ALPHA_ISOLATION, "maybe"));
        return Combinators.combine(Arbitraries.of(NAMESPACES), labels(), annotations).as(NamespaceInfo::new);
    }

    static Arbitrary<Resource> pod() {
        Arbitrary<String> node = Arbitraries.of(NODES).injectNull(0.1);
        Arbitrary<Integer> ipVariant = Arbitraries.integers().between(0, 2);
        Arbitrary<List<ContainerPort>> ports = Arbitraries.of(
                new ContainerPort("http", 80, Protocol.TCP), new ContainerPort("http", 8080, Protocol.TCP),
                new ContainerPort("dns", 53, Protocol.UDP), new ContainerPort(null, 9000, Protocol.TCP))
                .list().ofMaxSize(2).uniqueElements(ContainerPort::name); // "Each named port in a pod must have a unique name"
        Arbitrary<Boolean> hostNetwork = Arbitraries.of(true, false, false, false, false, false, false, false, false, false);
        return Combinators.combine(Arbitraries.of(NAMESPACES), Arbitraries.integers().between(0, 3), labels(), node,
                ipVariant, ports, hostNetwork).as((namespace, index, labels, nodeName, variant, containerPorts, host) ->
                new PodInfo(namespace, "p" + index, labels, nodeName,
                variant == 0 ? List.of() : List.of("10." + NAMESPACES.indexOf(namespace) + "." + variant + "." + index),
                containerPorts, host));
    }

    static Arbitrary<LabelSelectorSpec> selector() {
        Arbitrary<LabelSelectorSpec.Requirement> requirement = Combinators.combine(
                Arbitraries.of("app", "tier", "team"), Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist"),
                Arbitraries.of("a", "b", "c").list().ofMinSize(1).ofMaxSize(2))
                .as((key, operator, values) -> new LabelSelectorSpec.Requirement(key, operator,
                        operator.contains("Exist") ? List.of() : values));
        return Combinators.combine(labels().map(m -> m.size() > 1 ? Map.<String, String>of() : m),
                requirement.list().ofMaxSize(1)).as(LabelSelectorSpec::new);
    }

    static Arbitrary<NetworkPolicyInfo.Peer> peer() {
        Arbitrary<NetworkPolicyInfo.IpBlockSpec> block = Arbitraries.of(
                new NetworkPolicyInfo.IpBlockSpec("10.0.0.0/8", List.of("10.1.0.0/16")),
                new NetworkPolicyInfo.IpBlockSpec("10.1.0.0/16", null),
                new NetworkPolicyInfo.IpBlockSpec("10.2.1.0/24", List.of("10.2.1.2/32")));
        return Arbitraries.oneOf(
                selector().map(s -> new NetworkPolicyInfo.Peer(s, null, null)),
                selector().map(s -> new NetworkPolicyInfo.Peer(null, s, null)),
                Combinators.combine(selector(), selector()).as((p, n) -> new NetworkPolicyInfo.Peer(p, n, null)),
                block.map(b -> new NetworkPolicyInfo.Peer(null, null, b)));
    }

    static Arbitrary<NetworkPolicyInfo.Port> port() {
        return Arbitraries.of(
                new NetworkPolicyInfo.Port(null, 80, null, null), new NetworkPolicyInfo.Port("UDP", 53, null, null),
                new NetworkPolicyInfo.Port(null, null, "http", null), new NetworkPolicyInfo.Port("UDP", null, "dns", null),
                new NetworkPolicyInfo.Port("TCP", 80, null, 9000), new NetworkPolicyInfo.Port("SCTP", null, null, null));
    }

    static Arbitrary<NetworkPolicyInfo.Rule> rule() {
        return Combinators.combine(peer().list().ofMaxSize(2), port().list().ofMaxSize(2)).as(NetworkPolicyInfo.Rule::new);
    }

    static Arbitrary<Resource> policy() {
        Arbitrary<List<String>> types = Arbitraries.<List<String>>of(List.of("Ingress"), List.of("Egress"),
                List.of("Ingress", "Egress"), List.of(), List.of("Sideways")).injectNull(0.4);
        return Combinators.combine(Arbitraries.of(NAMESPACES), Arbitraries.of("np0", "np1", "np2"), selector(), types,
                rule().list().ofMaxSize(2), rule().list().ofMaxSize(2)).as(NetworkPolicyInfo::new);
    }

    static Arbitrary<Resource> legacyPolicy() {
        Arbitrary<LegacyPolicyInfo.Peer> peer = Combinators.combine(labels().injectNull(0.3), labels().injectNull(0.6))
                .as(LegacyPolicyInfo.Peer::new);
        Arbitrary<LegacyPolicyInfo.Port> port = Arbitraries.of(new LegacyPolicyInfo.Port(null, 80, null),
                new LegacyPolicyInfo.Port("UDP", null, null), new LegacyPolicyInfo.Port(null, null, "http"));
        Arbitrary<LegacyPolicyInfo.Rule> rule = Combinators.combine(peer.list().ofMaxSize(2), port.list().ofMaxSize(2))
                .as(LegacyPolicyInfo.Rule::new);
        return Combinators.combine(Arbitraries.of(NAMESPACES), Arbitraries.of("lp0", "lp1"), labels(),
                rule.list().ofMaxSize(2)).as(LegacyPolicyInfo::new);
    }
}
