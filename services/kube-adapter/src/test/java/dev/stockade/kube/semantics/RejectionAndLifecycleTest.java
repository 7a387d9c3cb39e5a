package dev.stockade.kube.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.EventType;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.verdict.Endpoint;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Invalid input is rejected per object with a reason naming the object and the field, and
 * everything else keeps compiling; objects come and go through watch events.
 */
class RejectionAndLifecycleTest {

    record Row(String problem, String policy, String field, String reasonContains) {
    }

    private static final String ALLOW_FROM_Y = NetworkPolicySemanticsTest.policy("x", "good",
            "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]");

    static final List<Row> ROWS = List.of(
            new Row("a CIDR that does not parse",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]"),
                    "spec.ingress[0].from[0].ipBlock.cidr", "not a valid CIDR"),
            new Row("an except outside its cidr",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}}]}]"),
                    "spec.ingress[0].from[0].ipBlock.except[0]", "strict subset"),
            new Row("endPort without a numeric port",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{ports: [{port: serve-80-tcp, endPort: 90}]}]"),
                    "spec.ingress[0].ports[0].endPort", "requires a numeric port"),
            new Row("endPort below port",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\negress: [{ports: [{port: 90, endPort: 80}]}]"),
                    "spec.egress[0].ports[0].endPort", "between port 90 and 65535"),
            new Row("an unknown protocol",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{ports: [{port: 80, protocol: ICMP}]}]"),
                    "spec.ingress[0].ports[0].protocol", "unsupported protocol 'ICMP'"),
            new Row("an unknown selector operator",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {matchExpressions: [{key: pod, operator: Equals, values: [a]}]}"),
                    "spec.podSelector.matchExpressions[0].operator", "unknown operator 'Equals'"),
            new Row("In without values",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{from: [{podSelector: {matchExpressions: [{key: pod, operator: In}]}}]}]"),
                    "spec.ingress[0].from[0].podSelector.matchExpressions[0].values", "needs at least one value"),
            new Row("an unknown policy type",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\npolicyTypes: [Inbound]"),
                    "spec.policyTypes[0]", "unsupported value 'Inbound'"),
            new Row("an ipBlock combined with a selector",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]"),
                    "spec.ingress[0].from[0]", "may not be combined"),
            new Row("a port number out of range",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{ports: [{port: 70000}]}]"),
                    "spec.ingress[0].ports[0].port", "outside 1-65535"),
            new Row("a legacy from entry with neither pods nor namespaces",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: {}\nallowIncoming: {from: [{}]}"),
                    "spec.allowIncoming[0].from[0]", "must set pods or namespaces"),
            new Row("a legacy allowIncoming that is neither a rule nor a list",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: {}\nallowIncoming: everything"),
                    "spec.allowIncoming", "must be a rule or a list of rules"),
            new Row("a legacy podSelector that is not a label map",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: [a]"),
                    "spec.podSelector", "map of label keys"),
            new Row("a legacy port that is neither number nor name",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: {}\nallowIncoming: {toPorts: [{port: [80]}]}"),
                    "spec.allowIncoming.toPorts[0].port", "port number or a port name"));

    @TestFactory
    Stream<DynamicTest> anInvalidPolicyIsRejectedNamingObjectAndFieldWhileTheRestKeepsWorking() {
        return ROWS.stream().map(row -> DynamicTest.dynamicTest(row.problem(), () -> {
            World world = World.given(ALLOW_FROM_Y + row.policy());
            assertEquals(1, world.rejections().size(), world.rejections().toString());
            Rejection rejection = world.rejections().get(0);
            assertEquals("bad", rejection.object().name());
            assertEquals("x", rejection.object().namespace());
            assertEquals(row.field(), rejection.field());
            assertTrue(rejection.reason().contains(row.reasonContains()), rejection.reason());
            Expectation.check(world, List.of("y/a -> x/a 80/TCP allowed", "x/b -> x/a 80/TCP denied"));
        }));
    }

    @Test
    void anInvalidUpdateIsRejectedAndTheLastValidVersionStaysInForce() {
        World world = World.given(ALLOW_FROM_Y);
        world.apply(EventType.MODIFIED, NetworkPolicySemanticsTest.policy("x", "good",
                "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: not-a-cidr}}]}]"));
        assertEquals("spec.ingress[0].from[0].ipBlock.cidr", world.rejections().get(0).field());
        Expectation.check(world, List.of("y/a -> x/a 80/TCP allowed", "x/b -> x/a 80/TCP denied"));
    }

    @Test
    void aMalformedIsolationAnnotationIsReportedAndIsolatesFailClosed() {
        World world = World.given(LegacyApiSemanticsTest.isolated("x", "{ns: x}",
                "net.alpha.kubernetes.io/network-isolation", "maybe"));
        assertEquals("metadata.annotations[net.alpha.kubernetes.io/network-isolation]", world.rejections().get(0).field());
        Expectation.check(world, List.of("y/a -> x/a 80/TCP denied"));
    }

    @Test
    void aPodWithoutAnIpAppearsInNoVerdict() {
        World world = World.given("");
        List<String> pods = world.endpoints().stream().map(Endpoint::pod).toList();
        assertEquals(List.of("x/a", "x/b", "y/a", "y/b"), pods);
    }

    @Test
    void aPodThatGetsAnIpJoinsThePeersOfExistingRules() {
        World world = World.given(NetworkPolicySemanticsTest.policy("y", "from-x-a",
                "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}]}]"));
        world.apply(EventType.MODIFIED, """
                apiVersion: v1
                kind: Pod
                metadata: {name: pending, namespace: x, labels: {pod: a}}
                spec: {nodeName: n2, containers: [{name: c}]}
                status: {podIP: 10.1.0.9}
                """);
        Expectation.check(world, List.of("x/pending -> y/b 80/TCP allowed", "x/b -> y/b 80/TCP denied"));
    }

    @Test
    void relabelingANamespaceMovesItsPodsInAndOutOfNamespaceSelectors() {
        World world = World.given(NetworkPolicySemanticsTest.policy("x", "from-blue",
                "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: blue}}}]}]"));
        Expectation.check(world, List.of("y/a -> x/a 80/TCP denied"));
        world.apply(EventType.MODIFIED, "apiVersion: v1\nkind: Namespace\nmetadata: {name: y, labels: {ns: y, team: blue}}\n");
        Expectation.check(world, List.of("y/a -> x/a 80/TCP allowed"));
    }

    @Test
    void deletingANamespaceRemovesItsPodsAndPolicies() {
        World world = World.given(NetworkPolicySemanticsTest.policy("x", "deny", "podSelector: {}\npolicyTypes: [Ingress, Egress]")
                + NetworkPolicySemanticsTest.policy("y", "from-x", "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: x}}}]}]"));
        world.apply(EventType.DELETED, "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
        assertEquals(List.of("y/a", "y/b"), world.endpoints().stream().map(Endpoint::pod).toList());
        assertTrue(world.engine().state().definitions().keySet().stream().noneMatch(ref -> ref.namespace().equals("x")));
        assertTrue(world.agents().nonEmptyRuleSets().values().stream()
                .allMatch(ruleSet -> ruleSet.policies().values().stream().allMatch(p -> p.ref().namespace().equals("y"))));
        assertFalse(world.agents().nonEmptyRuleSets().values().stream().anyMatch(ruleSet -> ruleSet.addressGroups()
                .values().stream().anyMatch(group -> group.members().keySet().stream().anyMatch(pod -> pod.startsWith("x/")))));
        Expectation.check(world, List.of("y/a -> y/b 80/TCP denied"));
    }

    @Test
    void deletingAPolicyStopsEnforcingIt() {
        World world = World.given(NetworkPolicySemanticsTest.policy("x", "deny", "podSelector: {}"));
        world.apply(EventType.DELETED, NetworkPolicySemanticsTest.policy("x", "deny", "podSelector: {}"));
        Expectation.check(world, List.of("y/a -> x/a 80/TCP allowed"));
        assertTrue(world.agents().nonEmptyRuleSets().values().stream().allMatch(ruleSet -> ruleSet.policies().isEmpty()
                && ruleSet.appliedToGroups().isEmpty() && ruleSet.addressGroups().isEmpty()), "only local pods remain");
    }
}
