package dev.stockade.kube.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.Rejection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A typo never widens a policy: every object is read as the API server's strict field validation
 * reads it. An unknown field, or a scalar of another type where a string belongs, rejects the
 * object with the field named; the policies around it keep working. Before, each of these typos
 * was dropped silently and the policy allowed every port or selected every pod.
 */
class StrictInputTest {

    record Typo(String typo, String policy, String field, String reasonContains) {
    }

    private static final String ALLOW_FROM_Y = NetworkPolicySemanticsTest.policy("x", "good",
            "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]");

    static final List<Typo> TYPOS = List.of(
            new Typo("port: for ports: (would allow every port)",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{port: [{port: 443}]}]"),
                    "spec.ingress[0].port", "unknown field"),
            new Typo("podSelecter: for podSelector: (would select every pod)",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelecter: {matchLabels: {pod: b}}\npolicyTypes: [Ingress]"),
                    "spec.podSelecter", "unknown field"),
            new Typo("matchLabel: for matchLabels: (would select every pod)",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {matchLabel: {pod: b}}\npolicyTypes: [Ingress]"),
                    "spec.podSelector.matchLabel", "unknown field"),
            new Typo("a peer's namespaceSelecter: (would allow from every pod of the namespace)",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\ningress: [{from: [{namespaceSelecter: {}}]}]"),
                    "spec.ingress[0].from[0].namespaceSelecter", "unknown field"),
            new Typo("egres: for egress:",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {}\npolicyTypes: [Egress]\negres: [{}]"),
                    "spec.egres", "unknown field"),
            new Typo("a label value that YAML reads as a boolean",
                    NetworkPolicySemanticsTest.policy("x", "bad", "podSelector: {matchLabels: {pod: yes}}"),
                    "spec.podSelector.matchLabels[pod]", "must be a string"),
            new Typo("a 2016 policy's toPort: for toPorts: (would allow every port)",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: {}\nallowIncoming: {toPort: [{port: 443}]}"),
                    "spec.allowIncoming.toPort", "unknown field"),
            new Typo("a 2016 policy's allowIncomming:",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: {}\nallowIncomming: {toPorts: [{port: 443}]}"),
                    "spec.allowIncomming", "unknown field"),
            new Typo("a 2016 from entry's pod: for pods:",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: {}\nallowIncoming: [{from: [{pod: {pod: b}}]}]"),
                    "spec.allowIncoming[0].from[0].pod", "unknown field"),
            new Typo("a 2016 port's protocl:",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: {}\nallowIncoming: {toPorts: [{port: 80, protocl: UDP}]}"),
                    "spec.allowIncoming.toPorts[0].protocl", "unknown field"),
            new Typo("a 2016 label value that YAML reads as a number",
                    LegacyApiSemanticsTest.legacy("x", "bad", "podSelector: {pod: 1}"),
                    "spec.podSelector.pod", "must be a string"),
            new Typo("a 2016 policy's metadata field misspelt",
                    "apiVersion: net.alpha.kubernetes.io/v1alpha1\nkind: NetworkPolicy\n"
                            + "metadata: {name: bad, namespace: x, lables: {a: b}}\nspec: {podSelector: {}}\n---\n",
                    "metadata.lables", "unknown field"));

    @TestFactory
    Stream<DynamicTest> aTypoRejectsThePolicyNamingTheFieldAndNeverWidensIt() {
        return TYPOS.stream().map(typo -> DynamicTest.dynamicTest(typo.typo(), () -> {
            World world = World.given(ALLOW_FROM_Y + typo.policy());
            assertEquals(1, world.rejections().size(), world.rejections().toString());
            Rejection rejection = world.rejections().get(0);
            assertEquals("x/bad", rejection.object().namespace() + "/" + rejection.object().name());
            assertEquals(typo.field(), rejection.field());
            assertTrue(rejection.reason().contains(typo.reasonContains()), rejection.reason());
            Expectation.check(world, List.of("y/a -> x/a 80/TCP allowed", "x/b -> x/a 443/TCP denied",
                    "y/a -> x/a 443/TCP allowed", "x/b -> x/a 80/TCP denied"));
        }));
    }

    @Test
    void anUnquotedOnIsolationAnnotationIsReportedAndIsolatesFailClosed() {
        World world = World.givenOnly(World.BASE.replace("metadata: {name: x, labels: {ns: x, team: blue}}",
                "metadata: {name: x, labels: {ns: x, team: blue}, annotations: {net.alpha.kubernetes.io/network-isolation: on}}"));
        Rejection first = world.rejections().get(0);
        assertEquals("metadata.annotations[net.alpha.kubernetes.io/network-isolation]", first.field());
        assertTrue(first.reason().contains("must be strings"), first.reason());
        assertTrue(first.reason().contains("fail closed"), first.reason());
        Expectation.check(world, List.of("y/a -> x/a 80/TCP denied", "x/a -> y/a 80/TCP allowed"));
    }

    @Test
    void anUnquotedOffIsolationAnnotationIsReportedAndStillIsolates() {
        World world = World.givenOnly(World.BASE.replace("metadata: {name: x, labels: {ns: x, team: blue}}",
                "metadata: {name: x, labels: {ns: x, team: blue}, annotations: {net.alpha.kubernetes.io/network-isolation: off}}"));
        assertEquals("metadata.annotations[net.alpha.kubernetes.io/network-isolation]", world.rejections().get(0).field());
        Expectation.check(world, List.of("y/a -> x/a 80/TCP denied"));
    }

    @Test
    void aPodWithALabelThatIsNotAStringIsRejectedNamingTheLabel() {
        World world = World.given("apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: x, labels: {pod: 1}}\n"
                + "spec: {nodeName: n1, containers: [{name: c}]}\nstatus: {podIP: 10.1.0.3}\n");
        assertEquals("x/c", world.rejections().get(0).object().namespace() + "/" + world.rejections().get(0).object().name());
        assertEquals("metadata.labels[pod]", world.rejections().get(0).field());
        assertTrue(world.endpoints().stream().noneMatch(endpoint -> endpoint.pod().equals("x/c")));
    }

    @Test
    void aPodWithAnUnknownFieldIsRejectedWhileItsRealFieldsAreAccepted() {
        World world = World.given("apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: x, labels: {pod: c}}\n"
                + "spec:\n  nodeName: n1\n  containers: [{name: c, image: nginx, imagePullPolicy: Always, env: [{name: A, value: b}],"
                + " resources: {limits: {cpu: 1, memory: 64Mi}}, prots: [{containerPort: 80}]}]\nstatus: {podIP: 10.1.0.3}\n");
        assertEquals(1, world.rejections().size(), world.rejections().toString());
        assertEquals("spec.containers[0].prots", world.rejections().get(0).field());
    }
}
