package dev.stockade.agent.dataplane;

import static dev.stockade.agent.dataplane.Given.block;
import static dev.stockade.agent.dataplane.Given.egressPolicy;
import static dev.stockade.agent.dataplane.Given.ingressPolicy;
import static dev.stockade.agent.dataplane.Given.isolatedNamespace;
import static dev.stockade.agent.dataplane.Given.labels;
import static dev.stockade.agent.dataplane.Given.map;
import static dev.stockade.agent.dataplane.Given.namedPort;
import static dev.stockade.agent.dataplane.Given.namespace;
import static dev.stockade.agent.dataplane.Given.pod;
import static dev.stockade.agent.dataplane.Given.pods;
import static dev.stockade.agent.dataplane.Given.port;
import static dev.stockade.agent.dataplane.Given.portRange;
import static dev.stockade.agent.dataplane.Given.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.compiled.NodeRuleSet;
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
import dev.stockade.core.model.NamespaceInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden-file tests of the snapshot renderer: each scenario compiles a small cluster with the core
 * engine and compares node-1's script with {@code src/test/resources/golden/<file>.nft}. Run with
 * {@code -Dstockade.golden.update=true} to rewrite the files after an intended change, then review
 * the diff.
 */
class NftRendererTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    record Scenario(String name, String file, Supplier<NodeRuleSet> node, NewPods newPods) {
        Scenario(String name, String file, Supplier<NodeRuleSet> node) {
            this(name, file, node, NewPods.OPEN);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("a node without policies enforces nothing: empty maps and the base chain only",
                        "empty", () -> NodeRuleSet.empty("node-1")),
                new Scenario("default deny ingress: each local pod jumps to a chain that logs and drops",
                        "default-deny-ingress", () -> cluster().with(
                                ingressPolicy("x", "deny-ingress", labels())).node("node-1")),
                new Scenario("ingress from selected pods: peers are a named set of member IPs, ports grouped per protocol",
                        "ingress-from-pods", () -> cluster().with(ingressPolicy("x", "allow-b", labels("pod", "a"),
                                rule(List.of(pods(labels("pod", "b"))), List.of(port("TCP", 80), port("UDP", 81))))).node("node-1")),
                new Scenario("ipBlock except holes are subtracted into disjoint ranges",
                        "ipblock-except", () -> cluster().with(egressPolicy("x", "cidr", labels("pod", "a"),
                                rule(List.of(block("10.0.0.0/8", "10.244.1.12/32", "10.244.2.0/24"), block("192.168.0.0/16", "192.168.1.0/24")),
                                        List.of()))).node("node-1")),
                new Scenario("endPort is a port range and SCTP is matched as its own protocol",
                        "endport-sctp", () -> cluster().with(ingressPolicy("x", "ranges", labels("pod", "a"),
                                rule(List.of(), List.of(portRange("TCP", 8000, 8080), port("TCP", 8080), port("SCTP", 81)))))
                                .node("node-1")),
                new Scenario("a named ingress port resolves on the destination pod itself",
                        "named-port-ingress", () -> cluster().with(ingressPolicy("x", "named", labels(),
                                rule(List.of(), List.of(namedPort("TCP", "serve-81-tcp"), namedPort("UDP", "no-such-port")))))
                                .node("node-1")),
                new Scenario("a named egress port matches destination IP and port of the peers declaring it; allows return",
                        "named-port-egress", () -> cluster().with(egressPolicy("x", "named", labels("pod", "a"),
                                rule(List.of(), List.of(namedPort("TCP", "serve-80-tcp"))))).node("node-1")),
                new Scenario("2016 API: tenant-a isolation on, backends accept TCP 80 from frontends only",
                        "tenant-a-2016", () -> new Given().with(isolatedNamespace("tenant-a"),
                                pod("tenant-a", "frontend", "node-2", "10.244.9.11", map("segment", "frontend")),
                                pod("tenant-a", "backend", "node-1", "10.244.9.12", map("segment", "backend")),
                                Given.tenantAPolicy()).node("node-1")),
                new Scenario("fail closed for new pods: pod CIDR addresses that are no known local pod are dropped both "
                        + "ways, before the pod maps; overlapping CIDRs merge", "fail-closed-new-pods",
                        () -> cluster().with(ingressPolicy("x", "allow-b", labels("pod", "a"),
                                rule(List.of(pods(labels("pod", "b"))), List.of(port("TCP", 80))))).node("node-1"),
                        NewPods.of(true, List.of("10.244.0.0/16", "10.244.1.0/24", "fd00:10:244:1::/64"))),
                new Scenario("ClusterNetworkPolicy tiers: an Admin chain per pod and direction (own IP bypass; Accept is the"
                        + " direction's allow, Deny logs the rule and drops, Pass and the end go to the NetworkPolicy chain"
                        + " when isolated, else to the Baseline chain); Baseline Pass and its end allow",
                        "cluster-network-policy-tiers", () -> cluster().with(
                                ingressPolicy("x", "allow-c", labels("pod", "a"), rule(List.of(pods(labels("pod", "c"))), List.of())),
                                clusterPolicy("guard-x", "Admin", 10, List.of(
                                        new IngressRule("from-y", "Accept", List.of(new IngressPeer(namespaceNamed("y"), null)),
                                                List.of(ProtocolSpec.tcp(DestinationPort.number(80)))),
                                        new IngressRule(null, "Deny", List.of(new IngressPeer(null,
                                                new NamespacedPod(null, labels("pod", "b")))), null),
                                        new IngressRule(null, "Pass", List.of(new IngressPeer(namespaceNamed("x"), null)), null)),
                                        List.of(new EgressRule("dns", "Pass", List.of(new EgressPeer(null, null, List.of("10.0.0.0/8"))),
                                                List.of(ProtocolSpec.udp(DestinationPort.number(53)))),
                                                new EgressRule(null, "Deny", List.of(new EgressPeer(namespaceNamed("y"), null, null)),
                                                        null))),
                                clusterPolicy("default-isolate", "Baseline", 0, List.of(new IngressRule(null, "Deny",
                                        List.of(new IngressPeer(labels(), null)), null)), List.of()))
                                .node("node-1")));
    }

    /** A ClusterNetworkPolicy whose subject is namespace x. */
    private static ClusterNetworkPolicyInfo clusterPolicy(String name, String tier, int priority, List<IngressRule> ingress,
                                                          List<EgressRule> egress) {
        return new ClusterNetworkPolicyInfo(name, tier, priority, new Subject(namespaceNamed("x"), null), ingress, egress);
    }

    private static LabelSelectorSpec namespaceNamed(String namespace) {
        return labels(NamespaceInfo.NAME_LABEL, namespace);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rendersTheGoldenScript(Scenario scenario) throws IOException {
        String script = NftRenderer.render(scenario.node().get(), scenario.newPods());
        Path golden = GOLDEN.resolve(scenario.file() + ".nft");
        if (Boolean.getBoolean("stockade.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, script, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), script, "golden file " + golden);
    }

    /** Namespace x with pods a (node-1), b (node-2), c (node-1), as in the conformance model. */
    static Given cluster() {
        return new Given().with(namespace("x"), namespace("y"),
                pod("x", "a", "node-1", "10.244.1.11", map("pod", "a")),
                pod("x", "b", "node-2", "10.244.1.12", map("pod", "b")),
                pod("x", "c", "node-1", "10.244.1.13", map("pod", "c")),
                pod("y", "a", "node-1", "10.244.2.11", map("pod", "a")));
    }
}
