package dev.stockade.core.verdict;

import static dev.stockade.core.verdict.Houses.cnp;
import static dev.stockade.core.verdict.Houses.in;
import static dev.stockade.core.verdict.Houses.inFromPods;
import static dev.stockade.core.verdict.Houses.ip;
import static dev.stockade.core.verdict.Houses.out;
import static dev.stockade.core.verdict.Houses.outToNetworks;
import static dev.stockade.core.verdict.Houses.outToPods;
import static dev.stockade.core.verdict.Houses.port;
import static dev.stockade.core.verdict.Houses.replace;
import static dev.stockade.core.verdict.Houses.subjectNamespace;
import static dev.stockade.core.verdict.Houses.subjectPods;
import static dev.stockade.core.verdict.Houses.swap;

import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.ProtocolSpec;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.policy.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod-to-pod scenarios of upstream's ClusterNetworkPolicy conformance tests
 * (kubernetes-sigs/network-policy-api {@code conformance/tests}, 24 tests), translated into our own
 * {@link Houses} fixture: the same policies, the same mutations in the same order (upstream's
 * subtests patch the live object, so each builds on the previous), the same expectations. Each
 * method or parameter row names the upstream test it mirrors; CLUSTER-NETWORK-POLICY.md lists
 * them all and the two left out (node peers).
 */
class ClusterNetworkPolicyConformanceTest {

    /**
     * Upstream's ordered-rules pattern, for one direction and protocol: the subject talks with A
     * (everything), B (deny then pass at {@code bPort}) and C (accept at {@code cPort}, deny the rest).
     *
     * @param bOther a port of B no rule names (allowed throughout)
     * @param cOther a port of C that only the final Deny matches
     */
    record Pattern(String upstreamTest, Direction direction, String subject, String a, String b, List<String> bPorts,
                   String bOther, String c, List<String> cPorts, String cOther) {
        @Override
        public String toString() {
            return upstreamTest;
        }
    }

    static Stream<Arguments> adminPatterns() {
        return Stream.of(
                new Pattern("CNPAdminTierIngressTCP", Direction.INGRESS, "gryffindor", "ravenclaw", "slytherin",
                        List.of("80/TCP"), "8080/TCP", "hufflepuff", List.of("80/TCP"), "8080/TCP"),
                new Pattern("CNPAdminTierIngressUDP", Direction.INGRESS, "hufflepuff", "ravenclaw", "slytherin",
                        List.of("5353/UDP"), "53/UDP", "gryffindor", List.of("53/UDP"), "5353/UDP"),
                new Pattern("CNPAdminTierIngressSCTP", Direction.INGRESS, "ravenclaw", "gryffindor", "slytherin",
                        List.of("9003/SCTP"), "9005/SCTP", "hufflepuff", List.of("9003/SCTP"), "9005/SCTP"),
                new Pattern("CNPAdminTierEgressTCP", Direction.EGRESS, "gryffindor", "ravenclaw", "slytherin",
                        List.of("80/TCP"), "8080/TCP", "hufflepuff", List.of("8080/TCP"), "80/TCP"),
                new Pattern("CNPAdminTierEgressUDP", Direction.EGRESS, "hufflepuff", "ravenclaw", "slytherin",
                        List.of("5353/UDP"), "53/UDP", "gryffindor", List.of("53/UDP"), "5353/UDP"),
                new Pattern("CNPAdminTierEgressSCTP", Direction.EGRESS, "ravenclaw", "gryffindor", "slytherin",
                        List.of("9003/SCTP"), "9005/SCTP", "hufflepuff", List.of("9003/SCTP"), "9005/SCTP"),
                new Pattern("CNPAdminTierGress (ingress)", Direction.INGRESS, "gryffindor", "ravenclaw", "slytherin",
                        List.of("80/TCP", "53/UDP", "9003/SCTP"), "8080/TCP", "hufflepuff",
                        List.of("80/TCP", "5353/UDP", "9003/SCTP"), "8080/TCP"),
                new Pattern("CNPAdminTierGress (egress)", Direction.EGRESS, "gryffindor", "ravenclaw", "slytherin",
                        List.of("80/TCP", "53/UDP", "9003/SCTP"), "8080/TCP", "hufflepuff",
                        List.of("8080/TCP", "5353/UDP", "9003/SCTP"), "80/TCP"))
                .map(Arguments::of);
    }

    static Stream<Arguments> baselinePatterns() {
        return adminPatterns().map(arguments -> {
            Pattern admin = (Pattern) arguments.get()[0];
            return Arguments.of(new Pattern(admin.upstreamTest().replace("Admin", "Baseline"), admin.direction(),
                    admin.subject(), admin.a(), admin.b(), admin.bPorts(), admin.bOther(), admin.c(), admin.cPorts(),
                    admin.cOther()));
        });
    }

    /** Admin tier, 6 subtests each: allow A (order), allow C at port, deny A (order), deny B at port, pass A (order), pass B at port. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("adminPatterns")
    void adminTierRulesAreEvaluatedInOrderAndTheFirstMatchDecides(Pattern pattern) {
        List<Rule> rules = List.of(new Rule("Accept", pattern.a(), List.of()), new Rule("Deny", pattern.a(), List.of()),
                new Rule("Pass", pattern.a(), List.of()), new Rule("Deny", pattern.b(), pattern.bPorts()),
                new Rule("Pass", pattern.b(), pattern.bPorts()), new Rule("Accept", pattern.c(), pattern.cPorts()),
                new Rule("Deny", pattern.c(), List.of()));
        Houses houses = Houses.houses().with(policy(pattern, "Admin", rules));
        talk(houses, pattern, pattern.a(), true, first(pattern), pattern.bOther());
        talk(houses, pattern, pattern.c(), true, pattern.cPorts().toArray(String[]::new));
        talk(houses, pattern, pattern.c(), false, pattern.cOther());

        rules = swap(rules, 0, 1);
        houses.with(policy(pattern, "Admin", rules));
        talk(houses, pattern, pattern.a(), false, first(pattern), pattern.bOther());
        talk(houses, pattern, pattern.b(), false, pattern.bPorts().toArray(String[]::new));
        talk(houses, pattern, pattern.b(), true, pattern.bOther());

        rules = swap(rules, 0, 2);
        houses.with(policy(pattern, "Admin", rules));
        talk(houses, pattern, pattern.a(), true, first(pattern), pattern.bOther());

        rules = swap(rules, 3, 4);
        houses.with(policy(pattern, "Admin", rules));
        talk(houses, pattern, pattern.b(), true, pattern.bPorts().toArray(String[]::new));
        talk(houses, pattern, pattern.b(), true, pattern.bOther());
    }

    /** Baseline tier, 4 subtests each: allow A (order), allow C at port, deny A (order), deny B at port. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("baselinePatterns")
    void baselineTierRulesAreEvaluatedInOrderAndTheFirstMatchDecides(Pattern pattern) {
        List<Rule> rules = List.of(new Rule("Accept", pattern.a(), List.of()), new Rule("Deny", pattern.a(), List.of()),
                new Rule("Deny", pattern.b(), pattern.bPorts()), new Rule("Accept", pattern.c(), pattern.cPorts()),
                new Rule("Deny", pattern.c(), List.of()));
        Houses houses = Houses.houses().with(policy(pattern, "Baseline", rules));
        talk(houses, pattern, pattern.a(), true, first(pattern), pattern.bOther());
        talk(houses, pattern, pattern.c(), true, pattern.cPorts().toArray(String[]::new));
        talk(houses, pattern, pattern.c(), false, pattern.cOther());

        houses.with(policy(pattern, "Baseline", swap(rules, 0, 1)));
        talk(houses, pattern, pattern.a(), false, first(pattern), pattern.bOther());
        talk(houses, pattern, pattern.b(), false, pattern.bPorts().toArray(String[]::new));
        talk(houses, pattern, pattern.b(), true, pattern.bOther());
    }

    /** CNPAdminTierIngressNamedPort: ingress-udp's rule 5 (Accept gryffindor at 53/UDP) rewritten to destinationNamedPort dns. */
    @Test
    void adminTierIngressNamedPort() {
        Houses houses = Houses.houses();
        ClusterNetworkPolicyInfo policy = policy(adminPattern("CNPAdminTierIngressUDP"), "Admin", adminRules(
                adminPattern("CNPAdminTierIngressUDP")));
        houses.with(withNamedPort(policy, 5, "dns"));
        houses.expect(true, "gryffindor/p0", "hufflepuff/p1", "53/UDP");
        houses.expect(false, "gryffindor/p1", "hufflepuff/p1", "5353/UDP");
    }

    /** CNPAdminTierEgressNamedPort: egress-tcp's rule 5 (Accept hufflepuff at 8080/TCP) rewritten to destinationNamedPort web (80/TCP). */
    @Test
    void adminTierEgressNamedPort() {
        Houses houses = Houses.houses();
        ClusterNetworkPolicyInfo policy = policy(adminPattern("CNPAdminTierEgressTCP"), "Admin", adminRules(
                adminPattern("CNPAdminTierEgressTCP")));
        houses.with(withNamedPort(policy, 5, "web"));
        houses.expect(true, "gryffindor/p0", "hufflepuff/p1", "80/TCP");
        houses.expect(false, "gryffindor/p1", "hufflepuff/p1", "8080/TCP");
    }

    /** CNPBaselineTierIngressNamedPort: baseline ingress-tcp's rule 3 (Accept hufflepuff at 80/TCP) as destinationNamedPort web. */
    @Test
    void baselineTierIngressNamedPort() {
        Pattern pattern = baselinePattern("CNPBaselineTierIngressTCP");
        Houses houses = Houses.houses().with(withNamedPort(policy(pattern, "Baseline", baselineRules(pattern)), 3, "web"));
        houses.expect(true, "hufflepuff/p0", "gryffindor/p1", "80/TCP");
        houses.expect(false, "hufflepuff/p1", "gryffindor/p1", "8080/TCP");
    }

    /** CNPBaselineTierEgressNamedPort: baseline egress-udp's rule 3 (Accept gryffindor at 53/UDP) as destinationNamedPort dns. */
    @Test
    void baselineTierEgressNamedPort() {
        Pattern pattern = baselinePattern("CNPBaselineTierEgressUDP");
        Houses houses = Houses.houses().with(withNamedPort(policy(pattern, "Baseline", baselineRules(pattern)), 3, "dns"));
        houses.expect(true, "hufflepuff/p0", "gryffindor/p1", "53/UDP");
        houses.expect(false, "hufflepuff/p1", "gryffindor/p1", "5353/UDP");
    }

    /**
     * CNPAdminTierEgressInlineCIDRPeers and CNPBaselineTierEgressInlineCIDRPeers: Accept to slytherin's
     * pods, Deny 0.0.0.0/0 and ::/0 (which covers pod IPs too); a namespace relabel takes slytherin out
     * and back; then an Accept of two pod /32s inserted first.
     */
    @ParameterizedTest(name = "{0} tier")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Admin", "Baseline"})
    void egressToNetworksCoversPodAddresses(String tier) {
        List<EgressRule> egress = List.of(outToPods("Accept", "slytherin"), outToNetworks("Deny", "0.0.0.0/0", "::/0"));
        ClusterNetworkPolicyInfo policy = cnp("inline-cidr", tier, tier.equals("Admin") ? 85 : 10,
                tier.equals("Admin") ? subjectPods("gryffindor") : subjectNamespace("gryffindor"), null, egress);
        Houses houses = Houses.houses().with(policy);
        String[] probes = {"80/TCP", "53/UDP", "9003/SCTP"};
        houses.expect(false, "gryffindor/p1", "ravenclaw/p0", probes);
        houses.expect(false, "gryffindor/p1", "hufflepuff/p0", probes);
        houses.expect(true, "gryffindor/p1", "slytherin/p0", probes);
        houses.relabelNamespace("slytherin", "denied-namespace-label");
        houses.expect(false, "gryffindor/p1", "slytherin/p0", probes);
        houses.relabelNamespace("slytherin", "slytherin");
        houses.expect(true, "gryffindor/p1", "slytherin/p0", probes);

        List<EgressRule> withPodIps = new ArrayList<>(List.of(outToNetworks("Accept", ip("ravenclaw", 0) + "/32",
                ip("hufflepuff", 0) + "/32")));
        withPodIps.addAll(egress);
        houses.with(cnp("inline-cidr", tier, policy.priority(), policy.subject(), null, withPodIps));
        houses.expect(true, "gryffindor/p1", "ravenclaw/p0", probes);
        houses.expect(true, "gryffindor/p1", "hufflepuff/p0", probes);
        houses.expect(false, "gryffindor/p1", "ravenclaw/p1", probes);
        houses.expect(false, "gryffindor/p1", "hufflepuff/p1", probes);
    }

    /**
     * CNPAdminTierIntegration: Admin Deny slytherin both ways; a v1 NetworkPolicy in gryffindor
     * allowing slytherin both ways; Baseline Deny slytherin both ways. Deny wins; Pass hands over to
     * the NetworkPolicy (allow); with the NetworkPolicy deleted, Pass hands over to Baseline (deny).
     */
    @Test
    void adminPassHandsOverToNetworkPolicyThenToBaseline() {
        ClusterNetworkPolicyInfo admin = cnp("pass-example", "Admin", 10, new ClusterNetworkPolicyInfo.Subject(
                        Houses.house("gryffindor"), null),
                List.of(new IngressRule(null, "Deny", List.of(new ClusterNetworkPolicyInfo.IngressPeer(
                        Houses.house("slytherin"), null)), null)),
                List.of(new EgressRule(null, "Deny", List.of(new ClusterNetworkPolicyInfo.EgressPeer(
                        Houses.house("slytherin"), null, null)), null)));
        ClusterNetworkPolicyInfo baseline = cnp("default", "Baseline", 10, admin.subject(), admin.ingress(), admin.egress());
        NetworkPolicyInfo allowSlytherin = new NetworkPolicyInfo("gryffindor", "allow-gress-slytherin", LabelSelectorSpec.ALL,
                List.of("Ingress", "Egress"),
                List.of(new NetworkPolicyInfo.Rule(List.of(new NetworkPolicyInfo.Peer(null, Houses.house("slytherin"), null)), null)),
                List.of(new NetworkPolicyInfo.Rule(List.of(new NetworkPolicyInfo.Peer(null, Houses.house("slytherin"), null)), null)));
        Houses houses = Houses.houses().with(admin).with(baseline).apply(allowSlytherin);
        houses.expect(false, "slytherin/p0", "gryffindor/p0", "80/TCP", "8080/TCP");
        houses.expect(false, "gryffindor/p0", "slytherin/p0", "80/TCP", "8080/TCP");

        houses.with(cnp(admin.name(), "Admin", 10, admin.subject(), List.of(withAction(admin.ingress().get(0), "Pass")),
                admin.egress()));
        houses.expect(true, "slytherin/p0", "gryffindor/p0", "80/TCP", "8080/TCP");
        houses.with(cnp(admin.name(), "Admin", 10, admin.subject(), List.of(withAction(admin.ingress().get(0), "Pass")),
                List.of(withAction(admin.egress().get(0), "Pass"))));
        houses.expect(true, "gryffindor/p0", "slytherin/p0", "80/TCP", "8080/TCP");

        houses.delete(allowSlytherin);
        houses.expect(false, "slytherin/p0", "gryffindor/p0", "80/TCP", "8080/TCP");
        houses.expect(false, "gryffindor/p0", "slytherin/p0", "80/TCP", "8080/TCP");
    }

    /**
     * CNPAdminTierPriorityField: Admin Deny at 50, Admin Pass at 60, Baseline Accept: denied; the Pass
     * policy moved to priority 40 now comes first and hands over to Baseline's Accept.
     */
    @Test
    void lowerPriorityNumberComesFirst() {
        ClusterNetworkPolicyInfo deny = cnp("priority-50-example", "Admin", 50, subjectPods("gryffindor"),
                List.of(inFromPods("Deny", "slytherin")), List.of(outToPods("Deny", "slytherin")));
        ClusterNetworkPolicyInfo pass = cnp("old-priority-60-new-priority-40-example", "Admin", 60, subjectPods("gryffindor"),
                List.of(inFromPods("Pass", "slytherin")), List.of(outToPods("Pass", "slytherin")));
        ClusterNetworkPolicyInfo baseline = cnp("default", "Baseline", 10, subjectPods("gryffindor"),
                List.of(inFromPods("Accept", "slytherin")), List.of(outToPods("Accept", "slytherin")));
        Houses houses = Houses.houses().with(deny).with(pass).with(baseline);
        houses.expect(false, "slytherin/p0", "gryffindor/p0", "80/TCP");
        houses.expect(false, "slytherin/p1", "gryffindor/p0", "8080/TCP");
        houses.expect(false, "gryffindor/p0", "slytherin/p0", "80/TCP");
        houses.expect(false, "gryffindor/p1", "slytherin/p0", "8080/TCP");

        houses.with(cnp(pass.name(), "Admin", 40, pass.subject(), pass.ingress(), pass.egress()));
        houses.expect(true, "slytherin/p0", "gryffindor/p0", "80/TCP");
        houses.expect(true, "slytherin/p1", "gryffindor/p0", "8080/TCP");
        houses.expect(true, "gryffindor/p0", "slytherin/p0", "80/TCP");
        houses.expect(true, "gryffindor/p1", "slytherin/p0", "8080/TCP");
    }

    // ---- the pattern's policy ----

    record Rule(String action, String namespace, List<String> ports) {
    }

    private static ClusterNetworkPolicyInfo policy(Pattern pattern, String tier, List<Rule> rules) {
        List<IngressRule> ingress = new ArrayList<>();
        List<EgressRule> egress = new ArrayList<>();
        for (Rule rule : rules) {
            ProtocolSpec[] ports = rule.ports().stream().map(Houses::port).toArray(ProtocolSpec[]::new);
            if (pattern.direction() == Direction.INGRESS) {
                ingress.add(in(rule.action(), rule.namespace(), ports));
            } else {
                egress.add(out(rule.action(), rule.namespace(), ports));
            }
        }
        return cnp(pattern.upstreamTest().toLowerCase().replace(' ', '-').replaceAll("[()]", ""), tier,
                tier.equals("Admin") ? 3 : 10, subjectNamespace(pattern.subject()), ingress, egress);
    }

    private static List<Rule> adminRules(Pattern pattern) {
        return List.of(new Rule("Accept", pattern.a(), List.of()), new Rule("Deny", pattern.a(), List.of()),
                new Rule("Pass", pattern.a(), List.of()), new Rule("Deny", pattern.b(), pattern.bPorts()),
                new Rule("Pass", pattern.b(), pattern.bPorts()), new Rule("Accept", pattern.c(), pattern.cPorts()),
                new Rule("Deny", pattern.c(), List.of()));
    }

    private static List<Rule> baselineRules(Pattern pattern) {
        return List.of(new Rule("Accept", pattern.a(), List.of()), new Rule("Deny", pattern.a(), List.of()),
                new Rule("Deny", pattern.b(), pattern.bPorts()), new Rule("Accept", pattern.c(), pattern.cPorts()),
                new Rule("Deny", pattern.c(), List.of()));
    }

    private static Pattern adminPattern(String upstreamTest) {
        return adminPatterns().map(a -> (Pattern) a.get()[0]).filter(p -> p.upstreamTest().equals(upstreamTest))
                .findFirst().orElseThrow();
    }

    private static Pattern baselinePattern(String upstreamTest) {
        return baselinePatterns().map(a -> (Pattern) a.get()[0]).filter(p -> p.upstreamTest().equals(upstreamTest))
                .findFirst().orElseThrow();
    }

    private static ClusterNetworkPolicyInfo withNamedPort(ClusterNetworkPolicyInfo policy, int index, String name) {
        List<ProtocolSpec> named = List.of(ProtocolSpec.namedPort(name));
        if (!policy.ingress().isEmpty()) {
            IngressRule rule = policy.ingress().get(index);
            return cnp(policy.name(), policy.tier(), policy.priority(), policy.subject(),
                    replace(policy.ingress(), index, new IngressRule(rule.name(), rule.action(), rule.from(), named)), null);
        }
        EgressRule rule = policy.egress().get(index);
        return cnp(policy.name(), policy.tier(), policy.priority(), policy.subject(), null,
                replace(policy.egress(), index, new EgressRule(rule.name(), rule.action(), rule.to(), named)));
    }

    private static IngressRule withAction(IngressRule rule, String action) {
        return new IngressRule(rule.name(), action, rule.from(), rule.protocols());
    }

    private static EgressRule withAction(EgressRule rule, String action) {
        return new EgressRule(rule.name(), action, rule.to(), rule.protocols());
    }

    private static String first(Pattern pattern) {
        return pattern.bPorts().get(0);
    }

    /**
     * The subject's pods and the other namespace's pods talking in the pattern's direction: for
     * ingress the other namespace's pods connect to the subject's, for egress the other way round.
     */
    private static void talk(Houses houses, Pattern pattern, String other, boolean allowed, String... probes) {
        for (int client = 0; client < 2; client++) {
            for (int server = 0; server < 2; server++) {
                String subjectPod = pattern.subject() + "/p" + (pattern.direction() == Direction.INGRESS ? server : client);
                String otherPod = other + "/p" + (pattern.direction() == Direction.INGRESS ? client : server);
                if (pattern.direction() == Direction.INGRESS) {
                    houses.expect(allowed, otherPod, subjectPod, probes);
                } else {
                    houses.expect(allowed, subjectPod, otherPod, probes);
                }
            }
        }
    }
}
