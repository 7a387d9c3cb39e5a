package dev.stockade.kube.semantics;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code networking.k8s.io/v1} NetworkPolicy semantics, one row per point of the spec: the
 * spec's words as the name, policies as YAML over {@link World}'s base cluster, expected verdicts.
 */
class NetworkPolicySemanticsTest {

    record Row(String spec, String policies, List<String> expect) {
    }

    static String policy(String namespace, String name, String spec) {
        return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name + ", namespace: "
                + namespace + "}\nspec:\n" + spec.stripIndent().indent(2) + "---\n";
    }

    static final List<Row> ROWS = List.of(
            new Row("with no policy selecting them, all pods accept and send all traffic", "",
                    List.of("x/a -> y/b 80/TCP allowed", "y/b -> x/a 9999/UDP allowed", "x/a -> x/a 80/TCP allowed")),
            new Row("an empty podSelector selects all pods in the policy's namespace",
                    policy("x", "deny", "podSelector: {}\npolicyTypes: [Ingress]"),
                    List.of("y/a -> x/a 80/TCP denied", "y/a -> x/b 80/TCP denied", "x/a -> x/b 80/TCP denied",
                            "x/a -> y/a 8000/TCP allowed")),
            new Row("a pod selected by no policy is not isolated",
                    policy("x", "deny-a", "podSelector: {matchLabels: {pod: a}}"),
                    List.of("y/a -> x/a 80/TCP denied", "y/a -> x/b 80/TCP allowed")),
            new Row("matchExpressions In selects pods whose label value is listed",
                    policy("x", "deny", "podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}"),
                    List.of("y/a -> x/b 80/TCP denied", "y/a -> x/a 80/TCP allowed")),
            new Row("matchExpressions NotIn selects pods without the label or with an unlisted value",
                    policy("x", "deny", "podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}"),
                    List.of("y/a -> x/b 80/TCP denied", "y/a -> x/a 80/TCP allowed")),
            new Row("matchExpressions Exists selects pods that have the label key",
                    policy("x", "deny", "podSelector: {matchExpressions: [{key: app, operator: Exists}]}"),
                    List.of("y/a -> x/a 80/TCP denied", "y/a -> x/b 80/TCP allowed")),
            new Row("matchExpressions DoesNotExist selects pods without the label key",
                    policy("x", "deny", "podSelector: {matchExpressions: [{key: app, operator: DoesNotExist}]}"),
                    List.of("y/a -> x/a 80/TCP allowed", "y/a -> x/b 80/TCP denied")),
            new Row("matchLabels and matchExpressions are ANDed",
                    policy("x", "deny", "podSelector: {matchLabels: {pod: a}, matchExpressions: [{key: app, operator: DoesNotExist}]}"),
                    List.of("y/a -> x/a 80/TCP allowed", "y/a -> x/b 80/TCP allowed")),
            new Row("policyTypes defaults to Ingress only when spec.egress is empty",
                    policy("x", "deny", "podSelector: {}"),
                    List.of("y/a -> x/a 80/TCP denied", "x/a -> y/a 8000/TCP allowed")),
            new Row("policyTypes defaults to Ingress and Egress when spec.egress is non-empty",
                    policy("x", "egress-to-b", "podSelector: {matchLabels: {pod: a}}\negress: [{to: [{podSelector: {matchLabels: {pod: b}}}]}]"),
                    List.of("x/a -> x/b 80/TCP allowed", "x/a -> y/a 8000/TCP denied", "y/a -> x/a 80/TCP denied")),
            new Row("egress rules do not apply when policyTypes lists only Ingress",
                    policy("x", "ingress-only", "podSelector: {}\npolicyTypes: [Ingress]\ningress: [{}]\negress: [{to: [{podSelector: {matchLabels: {pod: b}}}]}]"),
                    List.of("x/a -> y/a 8000/TCP allowed", "y/a -> x/a 80/TCP allowed")),
            new Row("policyTypes Egress alone isolates egress and leaves ingress open",
                    policy("x", "deny-egress", "podSelector: {}\npolicyTypes: [Egress]"),
                    List.of("x/a -> y/a 8000/TCP denied", "x/a -> x/b 80/TCP denied", "y/a -> x/a 80/TCP allowed")),
            new Row("rules are additive: each of two policies allows its own source",
                    policy("x", "from-y-a", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]}]")
                            + policy("x", "from-x-b", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]"),
                    List.of("y/a -> x/a 80/TCP allowed", "x/b -> x/a 80/TCP allowed", "y/b -> x/a 80/TCP denied")),
            new Row("an empty rule allows traffic from all sources",
                    policy("x", "allow-all", "podSelector: {}\ningress: [{}]"),
                    List.of("y/b -> x/a 80/TCP allowed", "y/b -> x/b 12345/UDP allowed")),
            new Row("a rule without ports allows every port of every protocol",
                    policy("x", "from-y", "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]"),
                    List.of("y/b -> x/a 80/TCP allowed", "y/b -> x/a 53/UDP allowed", "y/b -> x/a 80/SCTP allowed",
                            "x/b -> x/a 80/TCP denied")),
            new Row("a podSelector peer alone selects pods in the policy's own namespace",
                    policy("x", "from-a", "podSelector: {matchLabels: {pod: b}}\ningress: [{from: [{podSelector: {matchLabels: {pod: a}}}]}]"),
                    List.of("x/a -> x/b 80/TCP allowed", "y/a -> x/b 80/TCP denied")),
            new Row("a namespaceSelector peer alone selects every pod of the matching namespaces",
                    policy("x", "from-y", "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]"),
                    List.of("y/a -> x/b 80/TCP allowed", "y/b -> x/b 80/TCP allowed", "x/a -> x/b 80/TCP denied")),
            new Row("an empty namespaceSelector selects pods in all namespaces",
                    policy("x", "from-all", "podSelector: {}\ningress: [{from: [{namespaceSelector: {}}]}]"),
                    List.of("y/a -> x/b 80/TCP allowed", "x/a -> x/b 80/TCP allowed")),
            new Row("podSelector and namespaceSelector in one peer select matching pods in matching namespaces (AND)",
                    policy("x", "and", "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: b}}}]}]"),
                    List.of("y/b -> x/a 80/TCP allowed", "y/a -> x/a 80/TCP denied", "x/b -> x/a 80/TCP denied")),
            new Row("two peers in one rule are ORed",
                    policy("x", "or", "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}, {podSelector: {matchLabels: {pod: b}}}]}]"),
                    List.of("y/a -> x/a 80/TCP allowed", "x/b -> x/a 80/TCP allowed", "x/a -> x/b 80/TCP denied")),
            new Row("every namespace carries the implicit kubernetes.io/metadata.name label",
                    policy("x", "by-name", "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]"),
                    List.of("y/a -> x/a 80/TCP allowed", "x/b -> x/a 80/TCP denied")),
            new Row("ipBlock matches pod IPs inside the CIDR",
                    policy("x", "cidr", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.2.0.0/16}}]}]"),
                    List.of("y/a -> x/a 80/TCP allowed", "y/b -> x/a 80/TCP allowed", "x/b -> x/a 80/TCP denied")),
            new Row("ipBlock except leaves its CIDRs out of the block",
                    policy("x", "cidr-except", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.2.0.0/16, except: [10.2.0.2/32]}}]}]"),
                    List.of("y/a -> x/a 80/TCP allowed", "y/b -> x/a 80/TCP denied")),
            new Row("ipBlock in an egress rule matches destination pod IPs",
                    policy("x", "egress-cidr", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 10.1.0.0/24, except: [10.1.0.1/32]}}]}]"),
                    List.of("x/a -> x/b 80/TCP allowed", "x/a -> x/a 80/TCP denied", "x/a -> y/a 8000/TCP denied")),
            new Row("a numeric port allows that port only",
                    policy("x", "port-80", "podSelector: {}\ningress: [{ports: [{port: 80, protocol: TCP}]}]"),
                    List.of("y/a -> x/a 80/TCP allowed", "y/a -> x/a 81/TCP denied")),
            new Row("protocol defaults to TCP",
                    policy("x", "port-80", "podSelector: {}\ningress: [{ports: [{port: 80}]}]"),
                    List.of("y/a -> x/a 80/TCP allowed", "y/a -> x/a 80/UDP denied", "y/a -> x/a 80/SCTP denied")),
            new Row("a port entry with a protocol and no port allows every port of that protocol",
                    policy("x", "all-udp", "podSelector: {}\ningress: [{ports: [{protocol: UDP}]}]"),
                    List.of("y/a -> x/a 81/UDP allowed", "y/a -> x/a 5353/UDP allowed", "y/a -> x/a 81/TCP denied")),
            new Row("SCTP is matched as its own protocol",
                    policy("x", "sctp", "podSelector: {}\ningress: [{ports: [{port: 80, protocol: SCTP}]}]"),
                    List.of("y/a -> x/a 80/SCTP allowed", "y/a -> x/a 80/TCP denied")),
            new Row("endPort allows the range from port to endPort inclusive",
                    policy("x", "range", "podSelector: {}\ningress: [{ports: [{port: 80, endPort: 82}]}]"),
                    List.of("y/a -> x/a 79/TCP denied", "y/a -> x/a 80/TCP allowed", "y/a -> x/a 82/TCP allowed",
                            "y/a -> x/a 83/TCP denied")),
            new Row("a named port resolves on each destination pod for ingress",
                    policy("y", "named", "podSelector: {}\ningress: [{ports: [{port: serve-80-tcp}]}]"),
                    List.of("x/a -> y/a 8000/TCP allowed", "x/a -> y/a 80/TCP denied", "x/a -> y/b 80/TCP denied")),
            new Row("a named port only matches a container port of the same protocol",
                    policy("y", "named-udp", "podSelector: {}\ningress: [{ports: [{port: serve-80-tcp, protocol: UDP}]}]"),
                    List.of("x/a -> y/a 8000/TCP denied", "x/a -> y/a 8000/UDP denied")),
            new Row("a named port in an egress rule resolves on the destination pod",
                    policy("x", "egress-named", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress: [{ports: [{port: serve-80-tcp}]}]"),
                    List.of("x/a -> y/a 8000/TCP allowed", "x/a -> y/a 80/TCP denied", "x/a -> x/b 80/TCP allowed",
                            "x/a -> y/b 80/TCP denied")),
            new Row("a named port of an ipBlock egress peer resolves on pods inside the block",
                    policy("x", "egress-named-cidr", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 10.2.0.0/16}}], ports: [{port: serve-80-tcp}, {port: 53, protocol: UDP}]}]"),
                    List.of("x/a -> y/a 8000/TCP allowed", "x/a -> y/a 53/UDP allowed", "x/a -> x/b 80/TCP denied")),
            new Row("an egress allow does not bypass the destination's ingress isolation",
                    policy("x", "egress-all", "podSelector: {}\npolicyTypes: [Egress]\negress: [{}]")
                            + policy("y", "deny", "podSelector: {}"),
                    List.of("x/a -> y/a 8000/TCP denied", "x/a -> x/b 80/TCP allowed")),
            new Row("ingress isolation and egress isolation are independent directions",
                    policy("x", "deny-ingress-a", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Ingress]"),
                    List.of("x/a -> x/b 80/TCP allowed", "x/b -> x/a 80/TCP denied")),
            new Row("traffic from a pod to itself follows the same rules as any pair",
                    policy("x", "deny", "podSelector: {}"),
                    List.of("x/a -> x/a 80/TCP denied", "y/a -> y/a 8000/TCP allowed")));

    @TestFactory
    Stream<DynamicTest> eachSpecPoint() {
        return ROWS.stream().map(row -> DynamicTest.dynamicTest(row.spec(), () -> {
            World world = World.given(row.policies());
            org.junit.jupiter.api.Assertions.assertEquals(List.of(), world.rejections(), "valid input");
            Expectation.check(world, row.expect());
        }));
    }
}
