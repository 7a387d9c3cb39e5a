package dev.stockade.kube.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The original 2016 API ({@code net.alpha.kubernetes.io/v1alpha1} NetworkPolicy and the namespace
 * isolation annotations) as the design brief states it, over {@link World}'s base cluster.
 */
class LegacyApiSemanticsTest {

    record Row(String spec, String objects, List<String> expect) {
    }

    static String isolated(String namespace, String labels, String annotation, String value) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + namespace + "\n  labels: " + labels
                + "\n  annotations: {" + annotation + ": '" + value + "'}\n---\n";
    }

    static String alphaOn(String namespace, String labels) {
        return isolated(namespace, labels, "net.alpha.kubernetes.io/network-isolation", "on");
    }

    static String legacy(String namespace, String name, String spec) {
        return "apiVersion: net.alpha.kubernetes.io/v1alpha1\nkind: NetworkPolicy\nmetadata: {name: " + name
                + ", namespace: " + namespace + "}\nspec:\n" + spec.stripIndent().indent(2) + "---\n";
    }

    /** The 2016 announcement's tenant-a example, exactly as written there. */
    static final String TENANT_A = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tenant-a
              annotations: {net.alpha.kubernetes.io/network-isolation: "on"}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: frontend, namespace: tenant-a, labels: {segment: frontend}}
            spec: {nodeName: n1, containers: [{name: c}]}
            status: {podIP: 10.3.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: backend, namespace: tenant-a, labels: {segment: backend}}
            spec: {nodeName: n2, containers: [{name: c}]}
            status: {podIP: 10.3.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: other, namespace: tenant-a, labels: {segment: other}}
            spec: {nodeName: n1, containers: [{name: c}]}
            status: {podIP: 10.3.0.3}
            ---
            apiVersion: net.alpha.kubernetes.io/v1alpha1
            kind: NetworkPolicy
            metadata: {name: pol1, namespace: tenant-a}
            spec:
              podSelector: {segment: backend}
              allowIncoming:
                from:
                - pods: {segment: frontend}
                toPorts:
                - {port: 80, protocol: TCP}
            """;

    static final List<Row> ROWS = List.of(
            new Row("tenant-a: pods labelled segment=backend accept TCP 80 from pods labelled segment=frontend", TENANT_A,
                    List.of("tenant-a/frontend -> tenant-a/backend 80/TCP allowed",
                            "tenant-a/frontend -> tenant-a/backend 81/TCP denied",
                            "tenant-a/frontend -> tenant-a/backend 80/UDP denied",
                            "tenant-a/other -> tenant-a/backend 80/TCP denied",
                            "x/a -> tenant-a/backend 80/TCP denied",
                            "tenant-a/backend -> tenant-a/frontend 80/TCP denied",
                            "tenant-a/backend -> x/a 80/TCP allowed")),
            new Row("isolation is off by default: a legacy policy alone never isolates",
                    legacy("x", "pol", "podSelector: {pod: a}\nallowIncoming: {from: [{pods: {pod: b}}], toPorts: [{port: 80}]}"),
                    List.of("y/a -> x/a 80/TCP allowed", "x/b -> x/a 81/TCP allowed")),
            new Row("network-isolation: on isolates every pod of the namespace for ingress",
                    alphaOn("x", "{ns: x}"),
                    List.of("y/a -> x/a 80/TCP denied", "x/b -> x/a 80/TCP denied", "x/a -> y/a 8000/TCP allowed")),
            new Row("the network-isolation value is case-insensitive",
                    isolated("x", "{ns: x}", "net.alpha.kubernetes.io/network-isolation", "ON"),
                    List.of("y/a -> x/a 80/TCP denied")),
            new Row("network-isolation: off leaves the namespace open",
                    isolated("x", "{ns: x}", "net.alpha.kubernetes.io/network-isolation", "off"),
                    List.of("y/a -> x/a 80/TCP allowed")),
            new Row("the 1.3-beta annotation with DefaultDeny isolates",
                    isolated("x", "{ns: x}", "net.beta.kubernetes.io/network-policy", "{\"ingress\":{\"isolation\":\"DefaultDeny\"}}"),
                    List.of("y/a -> x/a 80/TCP denied")),
            new Row("only DefaultDeny in the beta annotation isolates",
                    isolated("x", "{ns: x}", "net.beta.kubernetes.io/network-policy", "{\"ingress\":{\"isolation\":\"None\"}}"),
                    List.of("y/a -> x/a 80/TCP allowed")),
            new Row("an empty podSelector selects every pod of the namespace; allowIncoming may be a list of rules",
                    alphaOn("x", "{ns: x}") + legacy("x", "pol", "podSelector: {}\nallowIncoming:\n- {from: [{pods: {pod: b}}], toPorts: [{port: 80}]}\n- {from: [{namespaces: {ns: y}}], toPorts: [{port: 81, protocol: UDP}]}"),
                    List.of("x/b -> x/a 80/TCP allowed", "y/a -> x/a 81/UDP allowed", "y/a -> x/a 80/TCP denied",
                            "x/b -> x/a 81/UDP denied")),
            new Row("from absent allows any source",
                    alphaOn("x", "{ns: x}") + legacy("x", "pol", "podSelector: {pod: a}\nallowIncoming: {toPorts: [{port: 80}]}"),
                    List.of("y/b -> x/a 80/TCP allowed", "y/b -> x/a 81/TCP denied")),
            new Row("toPorts absent allows all ports",
                    alphaOn("x", "{ns: x}") + legacy("x", "pol", "podSelector: {pod: a}\nallowIncoming: {from: [{pods: {pod: b}}]}"),
                    List.of("x/b -> x/a 80/TCP allowed", "x/b -> x/a 9/UDP allowed", "y/b -> x/a 80/TCP denied")),
            new Row("a toPorts entry without port allows every port of its protocol",
                    alphaOn("x", "{ns: x}") + legacy("x", "pol", "podSelector: {}\nallowIncoming: {toPorts: [{protocol: UDP}]}"),
                    List.of("y/a -> x/a 5353/UDP allowed", "y/a -> x/a 80/TCP denied")),
            new Row("a string port is a named port of the destination pod",
                    alphaOn("y", "{ns: y}") + legacy("y", "pol", "podSelector: {}\nallowIncoming: {toPorts: [{port: serve-80-tcp}]}"),
                    List.of("x/a -> y/a 8000/TCP allowed", "x/a -> y/a 80/TCP denied", "x/a -> y/b 8000/TCP denied")),
            new Row("namespaces selects every pod of the matching namespaces",
                    alphaOn("x", "{ns: x}") + legacy("x", "pol", "podSelector: {}\nallowIncoming: {from: [{namespaces: {ns: y}}]}"),
                    List.of("y/a -> x/a 80/TCP allowed", "y/b -> x/b 80/TCP allowed", "x/b -> x/a 80/TCP denied")),
            new Row("pods and namespaces in one entry select matching pods in matching namespaces",
                    alphaOn("x", "{ns: x}") + legacy("x", "pol", "podSelector: {}\nallowIncoming: {from: [{pods: {pod: b}, namespaces: {ns: y}}]}"),
                    List.of("y/b -> x/a 80/TCP allowed", "y/a -> x/a 80/TCP denied", "x/b -> x/a 80/TCP denied")),
            new Row("legacy rules add to v1 rules for pods a v1 policy isolates",
                    NetworkPolicySemanticsTest.policy("x", "deny", "podSelector: {}")
                            + legacy("x", "pol", "podSelector: {pod: a}\nallowIncoming: {from: [{namespaces: {ns: y}}]}"),
                    List.of("y/a -> x/a 80/TCP allowed", "y/a -> x/b 80/TCP denied")),
            new Row("legacy policies have no egress: isolation never restricts what pods send",
                    alphaOn("x", "{ns: x}") + legacy("x", "pol", "podSelector: {}"),
                    List.of("x/a -> y/a 8000/TCP allowed", "y/a -> x/a 80/TCP denied")));

    @TestFactory
    Stream<DynamicTest> eachPointOfThe2016Api() {
        return ROWS.stream().map(row -> DynamicTest.dynamicTest(row.spec(), () -> {
            World world = World.given(row.objects());
            assertEquals(List.of(), world.rejections(), "valid input");
            Expectation.check(world, row.expect());
        }));
    }
}
