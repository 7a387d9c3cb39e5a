package dev.stockade.agent.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.DestinationPort;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.NamespacedPod;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.ProtocolSpec;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.verdict.CompiledTierEvaluator;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.TierEvaluator;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.netlab.NetnsCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ClusterNetworkPolicy tiers on real packets: a representative subset of the upstream conformance
 * tests as translated in the core's {@code ClusterNetworkPolicyConformanceTest} (ordered Admin rules
 * with Accept, Deny and Pass; Admin Pass handing over to a NetworkPolicy and then to Baseline; egress
 * {@code networks} covering pod addresses; Baseline rules with a named port; priorities), each step
 * applied as the incremental engine's deltas to every node's {@link NftReconciler}. At every step,
 * every probed connection's real outcome must equal the reference {@link TierEvaluator}'s verdict,
 * which the node rule sets' {@link CompiledTierEvaluator} must also give.
 *
 * <p>The fixture is the conformance one on this lab's servers (TCP and UDP on 80 and 81): namespaces
 * {@code gryffindor}, {@code slytherin}, {@code hufflepuff}, {@code ravenclaw} labelled
 * {@code house=<name>}, pods {@code p0} on node-1 and {@code p1} on node-2 declaring {@code web}
 * 80/TCP and {@code dns} 81/UDP. Probed: every pair with a pod of the subject's namespace, both ways,
 * TCP and UDP on both ports; not self pairs (never leave the pod) nor SCTP (no sockets here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterNetworkPolicyIT {

    private static final List<String> HOUSES = List.of("gryffindor", "slytherin", "hufflepuff", "ravenclaw");
    private static final List<Probe> PROBES = List.of(new Probe(80, Protocol.TCP), new Probe(81, Protocol.TCP),
            new Probe(80, Protocol.UDP), new Probe(81, Protocol.UDP));

    private RealCluster real;
    private final ExecutorService probes = Executors.newFixedThreadPool(16);

    @BeforeAll
    void buildTheNetwork() {
        assumeTrue(RealCluster.canRun(), RealCluster.whyNot());
        real = new RealCluster(NetnsCluster.build(pods()));
    }

    @AfterAll
    void removeTheNetwork() {
        probes.shutdownNow();
        if (real != null) {
            real.close();
        }
    }

    // ---- scenarios ----

    /** CNPAdminTierIngressTCP/UDP: rule order decides, Pass leaves the tier, then swaps of rules. */
    @Test
    void adminTierRulesAreEvaluatedInOrderOnRealPackets() {
        List<IngressRule> rules = List.of(in("Accept", "ravenclaw"), in("Deny", "ravenclaw"), in("Pass", "ravenclaw"),
                in("Deny", "slytherin", tcp(80)), in("Pass", "slytherin", tcp(80)),
                in("Accept", "hufflepuff", tcp(80), ProtocolSpec.namedPort("dns")), in("Deny", "hufflepuff"));
        Scenario scenario = new Scenario("gryffindor");
        scenario.step("ordered rules", cnp("ingress-order", "Admin", 10, subjectNamespace("gryffindor"), rules, null));
        scenario.step("swap 0 and 1: Deny first", cnp("ingress-order", "Admin", 10, subjectNamespace("gryffindor"),
                swap(rules, 0, 1), null));
        String chain = scenario.listChain("node-1", "in-admin-gryffindor/p0");
        assertTrue(chain.contains("log prefix \"stockade-deny in gryffindor/p0 cnp-admin:/ingress-order ingress[0] \""),
                chain);
        scenario.step("swap 0 and 2: Pass first", cnp("ingress-order", "Admin", 10, subjectNamespace("gryffindor"),
                swap(rules, 0, 2), null));
        scenario.step("swap 3 and 4: Pass before Deny at 80", cnp("ingress-order", "Admin", 10,
                subjectNamespace("gryffindor"), swap(swap(rules, 0, 2), 3, 4), null));
        scenario.assertNoFailures();
    }

    /** CNPAdminTierIntegration: Admin Deny, then Pass to a NetworkPolicy that allows, then Baseline once it is gone. */
    @Test
    void adminPassHandsOverToNetworkPolicyThenToBaselineOnRealPackets() {
        NetworkPolicyInfo allowSlytherin = new NetworkPolicyInfo("gryffindor", "allow-slytherin", LabelSelectorSpec.ofLabels(Map.of()),
                List.of("Ingress", "Egress"), List.of(npRule("slytherin")), List.of(npRule("slytherin")));
        Scenario scenario = new Scenario("gryffindor");
        ClusterNetworkPolicyInfo baseline = cnp("baseline-deny", "Baseline", 10, subjectNamespace("gryffindor"),
                List.of(in("Deny", "slytherin")), List.of(out("Deny", "slytherin")));
        scenario.apply(allowSlytherin);
        scenario.apply(baseline);
        scenario.step("Admin Deny both ways", cnp("admin-deny", "Admin", 10, subjectNamespace("gryffindor"),
                List.of(in("Deny", "slytherin")), List.of(out("Deny", "slytherin"))));
        scenario.step("ingress Pass: the NetworkPolicy decides", cnp("admin-deny", "Admin", 10,
                subjectNamespace("gryffindor"), List.of(in("Pass", "slytherin")), List.of(out("Deny", "slytherin"))));
        scenario.step("egress Pass too", cnp("admin-deny", "Admin", 10, subjectNamespace("gryffindor"),
                List.of(in("Pass", "slytherin")), List.of(out("Pass", "slytherin"))));
        scenario.delete("NetworkPolicy deleted: Baseline denies", allowSlytherin);
        scenario.assertNoFailures();
    }

    /** CNPAdminTierEgressInlineCIDRPeers: networks match pod addresses; an Accept of two /32s inserted first. */
    @Test
    void egressToNetworksCoversPodAddressesOnRealPackets() {
        Subject gryffindorPods = new Subject(null, new NamespacedPod(house("gryffindor"), house("gryffindor")));
        EgressRule acceptSlytherin = new EgressRule(null, "Accept", List.of(new EgressPeer(null,
                new NamespacedPod(house("slytherin"), house("slytherin")), null)), null);
        EgressRule denyAll = new EgressRule(null, "Deny", List.of(new EgressPeer(null, null, List.of("0.0.0.0/0", "::/0"))),
                null);
        Scenario scenario = new Scenario("gryffindor");
        scenario.step("Accept slytherin, Deny 0.0.0.0/0", cnp("egress-cidr", "Admin", 10, gryffindorPods, null,
                List.of(acceptSlytherin, denyAll)));
        scenario.step("Accept two pod /32s first", cnp("egress-cidr", "Admin", 10, gryffindorPods, null,
                List.of(new EgressRule(null, "Accept", List.of(new EgressPeer(null, null, List.of(ip("ravenclaw", 0) + "/32",
                        ip("hufflepuff", 1) + "/32"))), null), acceptSlytherin, denyAll)));
        scenario.assertNoFailures();
    }

    /** CNPBaselineTierEgressNamedPort and CNPAdminTierPriorityField: Baseline rules, then an Admin Pass by priority. */
    @Test
    void baselineRulesAndPrioritiesOnRealPackets() {
        Scenario scenario = new Scenario("hufflepuff");
        scenario.step("Baseline ordered egress rules", cnp("baseline-egress", "Baseline", 10, subjectNamespace("hufflepuff"),
                null, List.of(out("Accept", "ravenclaw"), out("Deny", "ravenclaw"), out("Deny", "slytherin", udp(81)),
                        out("Accept", "gryffindor", ProtocolSpec.namedPort("dns")), out("Deny", "gryffindor"))));
        scenario.step("Admin Deny at 50", cnp("admin-deny", "Admin", 50, subjectNamespace("hufflepuff"),
                List.of(in("Deny", "ravenclaw")), List.of(out("Deny", "ravenclaw"))));
        scenario.step("Admin Pass at 60 comes after it", cnp("admin-pass", "Admin", 60, subjectNamespace("hufflepuff"),
                List.of(in("Pass", "ravenclaw")), List.of(out("Pass", "ravenclaw"))));
        scenario.step("Admin Pass moved to 40: Baseline decides", cnp("admin-pass", "Admin", 40,
                subjectNamespace("hufflepuff"), List.of(in("Pass", "ravenclaw")), List.of(out("Pass", "ravenclaw"))));
        scenario.assertNoFailures();
    }

    // ---- the harness ----

    /** One scenario: an engine and the nodes' agents, each step applied as deltas, then probed. */
    private final class Scenario {

        private final String subject;
        private final Engine engine = new Engine();
        private final Map<String, NodeRuleSet> nodes = new TreeMap<>();
        private final Map<String, NftReconciler> agents = real.freshAgents();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

        Scenario(String subjectNamespace) {
            this.subject = subjectNamespace;
            fixture().forEach(resource -> engine.apply(ResourceEvent.added(resource)));
            real.nodes().forEach(node -> nodes.put(node, engine.ruleSet(node)));
            reconcile();
        }

        void apply(Resource resource) {
            fold(engine.apply(ResourceEvent.added(resource)).deltas());
        }

        void step(String description, Resource resource) {
            apply(resource);
            reconcile();
            probe(description);
        }

        void delete(String description, Resource resource) {
            fold(engine.apply(ResourceEvent.deleted(resource)).deltas());
            reconcile();
            probe(description);
        }

        String listChain(String node, String chain) {
            return real.network().exec(real.network().nodeNetns(node), "nft", "list", "chain", "inet", "stockade", chain);
        }

        void assertNoFailures() {
            assertTrue(failures.isEmpty(), failures.size() + " probes differ from the reference:\n" + String.join("\n", failures));
        }

        private void fold(List<NodeDelta> deltas) {
            deltas.forEach(delta -> nodes.computeIfPresent(delta.node(), (node, before) -> before.apply(delta)));
        }

        private void reconcile() {
            nodes.forEach((node, ruleSet) -> assertTrue(agents.get(node).reconcile(ruleSet).realized(), node));
        }

        /** Every pair with a pod of the subject namespace, both ways, every probe: real packets == reference. */
        private void probe(String description) {
            assertEquals(Compiler.compile(engine.state()).ruleSetFor("node-1"), nodes.get("node-1"), "folded deltas");
            TierEvaluator reference = new TierEvaluator(engine.state(), engine.state().clusterPolicies(),
                    new VerdictEvaluator(node -> nodes.getOrDefault(node, NodeRuleSet.empty(node))));
            CompiledTierEvaluator compiled = new CompiledTierEvaluator(node -> nodes.getOrDefault(node, NodeRuleSet.empty(node)));
            List<Future<?>> running = new ArrayList<>();
            int[] counts = new int[2];
            for (PodInfo from : pods()) {
                for (PodInfo to : pods()) {
                    if (from.key().equals(to.key()) || !(from.namespace().equals(subject) || to.namespace().equals(subject))) {
                        continue;
                    }
                    Endpoint source = Endpoint.of(from).orElseThrow();
                    Endpoint destination = Endpoint.of(to).orElseThrow();
                    for (Probe probe : PROBES) {
                        boolean allowed = reference.allowed(source, destination, probe);
                        String what = description + ": " + from.key() + " -> " + to.key() + " " + probe;
                        if (compiled.allowed(source, destination, probe) != allowed) {
                            failures.add(what + ": the node rule sets' verdict differs from the reference");
                        }
                        counts[allowed ? 0 : 1]++;
                        running.add(probes.submit(() -> real.expect(source.ip(), destination.ip(), probe.port(),
                                probe.protocol(), allowed, what, failures)));
                    }
                }
            }
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            System.out.printf("  %s: probed %d allowed + %d denied on real packets%n", description, counts[0], counts[1]);
        }
    }

    // ---- the fixture and policy builders ----

    private static String ip(String house, int pod) {
        return "10.62." + HOUSES.indexOf(house) + "." + (10 + pod);
    }

    private static List<PodInfo> pods() {
        List<PodInfo> pods = new ArrayList<>();
        for (String house : HOUSES) {
            for (int p = 0; p < 2; p++) {
                pods.add(new PodInfo(house, "p" + p, Map.of("house", house), "node-" + (p + 1), List.of(ip(house, p)),
                        List.of(new ContainerPort("web", 80, Protocol.TCP), new ContainerPort("dns", 81, Protocol.UDP))));
            }
        }
        return pods;
    }

    private static List<Resource> fixture() {
        List<Resource> resources = new ArrayList<>();
        HOUSES.forEach(house -> resources.add(new NamespaceInfo(house, Map.of("house", house), null)));
        resources.addAll(pods());
        return resources;
    }

    private static ClusterNetworkPolicyInfo cnp(String name, String tier, int priority, Subject subject,
                                                List<IngressRule> ingress, List<EgressRule> egress) {
        return new ClusterNetworkPolicyInfo(name, tier, priority, subject, ingress, egress);
    }

    private static LabelSelectorSpec house(String house) {
        return LabelSelectorSpec.ofLabels(Map.of("house", house));
    }

    private static LabelSelectorSpec namespaceNamed(String namespace) {
        return LabelSelectorSpec.ofLabels(Map.of(NamespaceInfo.NAME_LABEL, namespace));
    }

    private static Subject subjectNamespace(String namespace) {
        return new Subject(namespaceNamed(namespace), null);
    }

    private static IngressRule in(String action, String fromNamespace, ProtocolSpec... protocols) {
        return new IngressRule(null, action, List.of(new IngressPeer(namespaceNamed(fromNamespace), null)),
                protocols.length == 0 ? null : List.of(protocols));
    }

    private static EgressRule out(String action, String toNamespace, ProtocolSpec... protocols) {
        return new EgressRule(null, action, List.of(new EgressPeer(namespaceNamed(toNamespace), null, null)),
                protocols.length == 0 ? null : List.of(protocols));
    }

    private static ProtocolSpec tcp(int port) {
        return ProtocolSpec.tcp(DestinationPort.number(port));
    }

    private static ProtocolSpec udp(int port) {
        return ProtocolSpec.udp(DestinationPort.number(port));
    }

    private static NetworkPolicyInfo.Rule npRule(String namespace) {
        return new NetworkPolicyInfo.Rule(List.of(new NetworkPolicyInfo.Peer(null, namespaceNamed(namespace), null)), List.of());
    }

    private static <T> List<T> swap(List<T> rules, int i, int j) {
        List<T> swapped = new ArrayList<>(rules);
        T first = swapped.get(i);
        swapped.set(i, swapped.get(j));
        swapped.set(j, first);
        return swapped;
    }
}
