package dev.stockade.core.engine;

import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.DestinationPort;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.NamespacedPod;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.ProtocolSpec;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.Resource;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random ClusterNetworkPolicies for {@link RandomClusters}: three names shared by both tiers (so a
 * policy moves between tiers), priorities that tie, every action, subjects by namespace and by pod,
 * peers of every form (including an empty peer and the experimental {@code nodes} peer, which fail
 * closed), CIDRs that cover pod addresses, numeric and named ports, and now and then an invalid
 * object (an unknown tier, a priority out of range, a named port towards networks).
 */
final class RandomClusterPolicies {

    private RandomClusterPolicies() {
    }

    static Arbitrary<Resource> clusterPolicy() {
        Arbitrary<String> tier = Arbitraries.frequency(Tuple.of(10, "Admin"), Tuple.of(10, "Baseline"), Tuple.of(1, "Middle"));
        Arbitrary<Integer> priority = Arbitraries.frequency(Tuple.of(5, 0), Tuple.of(10, 5), Tuple.of(5, 10),
                Tuple.of(1, 1001));
        return Combinators.combine(Arbitraries.of("cnp0", "cnp1", "cnp2"), tier, priority, subject(),
                ingressRule().list().ofMaxSize(3), egressRule().list().ofMaxSize(3))
                .as(ClusterNetworkPolicyInfo::new);
    }

    private static Arbitrary<Subject> subject() {
        return Arbitraries.oneOf(
                RandomClusters.selector().map(namespaces -> new Subject(namespaces, null)),
                namespacedPod().map(pods -> new Subject(null, pods)));
    }

    private static Arbitrary<NamespacedPod> namespacedPod() {
        return Combinators.combine(RandomClusters.selector().injectNull(0.3), RandomClusters.selector())
                .as(NamespacedPod::new);
    }

    private static Arbitrary<String> action() {
        return Arbitraries.of("Accept", "Deny", "Pass");
    }

    private static Arbitrary<List<ProtocolSpec>> protocols() {
        Arbitrary<ProtocolSpec> entry = Arbitraries.of(
                ProtocolSpec.tcp(DestinationPort.number(80)), ProtocolSpec.udp(DestinationPort.number(53)),
                ProtocolSpec.tcp(DestinationPort.range(80, 9000)), ProtocolSpec.sctp(DestinationPort.range(1, 65535)),
                ProtocolSpec.namedPort("http"), ProtocolSpec.namedPort("dns"));
        return entry.list().ofMinSize(1).ofMaxSize(2).injectNull(0.4);
    }

    private static Arbitrary<IngressRule> ingressRule() {
        Arbitrary<IngressPeer> peer = Arbitraries.frequencyOf(
                Tuple.of(8, RandomClusters.selector().map(namespaces -> new IngressPeer(namespaces, null))),
                Tuple.of(8, namespacedPod().map(pods -> new IngressPeer(null, pods))),
                Tuple.of(1, Arbitraries.just(new IngressPeer(null, null))));
        return Combinators.combine(action(), peer.list().ofMinSize(1).ofMaxSize(2), protocols())
                .as((action, from, protocols) -> new IngressRule(null, action, from, protocols));
    }

    private static Arbitrary<EgressRule> egressRule() {
        Arbitrary<List<String>> networks = Arbitraries.of(List.of("10.0.0.0/8"), List.of("10.1.0.0/16", "10.2.1.0/24"),
                List.of("10.0.1.3/32"), List.of("192.168.0.0/16"));
        Arbitrary<EgressPeer> peer = Arbitraries.frequencyOf(
                Tuple.of(8, RandomClusters.selector().map(namespaces -> new EgressPeer(namespaces, null, null))),
                Tuple.of(8, namespacedPod().map(pods -> new EgressPeer(null, pods, null))),
                Tuple.of(6, networks.map(cidrs -> new EgressPeer(null, null, cidrs))),
                Tuple.of(1, Arbitraries.just(new EgressPeer(null, null, null,
                        LabelSelectorSpec.ofLabels(java.util.Map.of()), null))),
                Tuple.of(1, Arbitraries.just(new EgressPeer(null, null, null))));
        return Combinators.combine(action(), peer.list().ofMinSize(1).ofMaxSize(2), protocols())
                .as((action, to, protocols) -> new EgressRule(null, action, to, protocols));
    }
}
