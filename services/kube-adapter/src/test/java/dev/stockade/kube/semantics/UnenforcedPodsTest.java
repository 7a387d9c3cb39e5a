package dev.stockade.kube.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No verdict is given that no node enforces. A hostNetwork pod shares its node's address:
 * upstream leaves policy for it undefined between two readings, and Stockade takes the one a
 * node-level enforcer can keep — it is never selected, as subject or peer, and its traffic is the
 * node's. A pod with an address but no node (a manifest can hold one) has no node to enforce.
 */
class UnenforcedPodsTest {

    private static final String HOST_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: host, namespace: x, labels: {pod: a}}
            spec: {nodeName: n1, hostNetwork: true, containers: [{name: c, ports: [{name: serve-80-tcp, containerPort: 80}]}]}
            status: {podIP: 192.168.0.1, podIPs: [{ip: 192.168.0.1}]}
            ---
            """;

    private static final String NO_NODE_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: nowhere, namespace: x, labels: {pod: a}}
            spec: {containers: [{name: c}]}
            status: {podIP: 10.1.0.99}
            ---
            """;

    @Test
    void aHostNetworkPodIsNeitherSubjectNorPeerAndGetsNoVerdict() {
        World world = World.given(HOST_POD
                + NetworkPolicySemanticsTest.policy("x", "deny-a", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Ingress]")
                + NetworkPolicySemanticsTest.policy("y", "from-a", "podSelector: {}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: a}}}]}]"));
        assertTrue(world.rejections().isEmpty(), world.rejections().toString());
        assertTrue(world.endpoints().stream().map(Endpoint::pod).noneMatch("x/host"::equals), "no verdict for x/host");
        assertTrue(world.agents().nonEmptyRuleSets().values().stream().flatMap(set -> set.addressGroups().values().stream())
                .flatMap(group -> group.members().values().stream()).noneMatch(member -> member.ips().contains("192.168.0.1")),
                "the node's address never joins a peer group through a hostNetwork pod");
        assertEquals(List.of(new Matrix.NotEnforced("x/host", Matrix.notEnforced(world.engine().state()).get(0).reason())),
                Matrix.notEnforced(world.engine().state()));
        assertTrue(Matrix.notEnforced(world.engine().state()).get(0).reason().startsWith("hostNetwork"));
        Expectation.check(world, List.of("x/a -> y/a 80/TCP allowed", "x/b -> y/a 80/TCP denied", "y/a -> x/a 80/TCP denied"));
    }

    @Test
    void aPodWithAnAddressAndNoNodeGetsNoVerdictEvenInAnIsolatedNamespace() {
        World world = World.given(NO_NODE_POD + NetworkPolicySemanticsTest.policy("x", "deny", "podSelector: {}"));
        assertTrue(world.endpoints().stream().map(Endpoint::pod).noneMatch("x/nowhere"::equals));
        Matrix.NotEnforced pod = Matrix.notEnforced(world.engine().state()).get(0);
        assertEquals("x/nowhere", pod.pod());
        assertTrue(pod.reason().startsWith("no node"), pod.reason());
    }
}
