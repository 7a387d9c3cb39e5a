package dev.stockade.core.verdict;

import static dev.stockade.core.verdict.Houses.cnp;
import static dev.stockade.core.verdict.Houses.in;
import static dev.stockade.core.verdict.Houses.out;
import static dev.stockade.core.verdict.Houses.outToNetworks;
import static dev.stockade.core.verdict.Houses.port;
import static dev.stockade.core.verdict.Houses.subjectNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.DestinationPort;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.ProtocolSpec;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.LegacyPolicyInfo;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.policy.ClusterPolicyValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tier walk: precedence, Pass in each tier, ties, own pod IP, named ports, networks, the explain text. */
class TierEvaluatorTest {

    private static final ClusterNetworkPolicyInfo PASS_SLYTHERIN = cnp("pass-slytherin", "Admin", 10,
            subjectNamespace("gryffindor"), List.of(in("Pass", "slytherin")), null);
    private static final ClusterNetworkPolicyInfo BASELINE_DENY_SLYTHERIN = cnp("default-isolate", "Baseline", 100,
            subjectNamespace("gryffindor"), List.of(in("Deny", "slytherin")), null);

    @Test
    void withoutClusterNetworkPoliciesTheVerdictIsTodaysForEveryPairAndProbe() {
        Houses houses = Houses.houses().apply(denyAllIngress("gryffindor")).apply(new NamespaceInfo("hufflepuff",
                Map.of("house", "hufflepuff"), Map.of(NamespaceInfo.ALPHA_ISOLATION, "on")));
        TierEvaluator tiers = houses.evaluator();
        VerdictEvaluator today = houses.networkPoliciesOnly();
        for (Endpoint from : Matrix.endpoints(houses.state())) {
            for (Endpoint to : Matrix.endpoints(houses.state())) {
                for (Probe probe : Probe.parseList("80/TCP,53/UDP,9003/SCTP")) {
                    assertEquals(today.allowed(from, to, probe), tiers.allowed(from, to, probe), from + " -> " + to);
                }
            }
        }
    }

    @Test
    void theWalkReadsLikeTheIssuesExample() {
        Houses houses = Houses.houses().with(PASS_SLYTHERIN).with(BASELINE_DENY_SLYTHERIN);
        TieredExplanation explanation = houses.explain("slytherin/p0", "gryffindor/p0", "80/TCP");
        assertEquals("[Admin] pass-slytherin (priority 10) ingress[0]: Pass → [NetworkPolicy] not isolated → "
                + "[Baseline] default-isolate (priority 100) ingress[0]: Deny", explanation.ingress().text());
        assertEquals("[Admin] no rule matches → [NetworkPolicy] not isolated → [Baseline] no rule matches → [Default] allow",
                explanation.egress().text());
        assertEquals(false, explanation.allowed());
    }

    @Test
    void adminAcceptIsFinalEvenWhereANetworkPolicyIsolatesAndAllowsNothing() {
        Houses houses = Houses.houses().apply(denyAllIngress("gryffindor"))
                .with(cnp("allow-ravenclaw", "Admin", 1, subjectNamespace("gryffindor"), List.of(in("Accept", "ravenclaw")), null));
        houses.expect(true, "ravenclaw/p0", "gryffindor/p1", "80/TCP");
        houses.expect(false, "slytherin/p0", "gryffindor/p1", "80/TCP");
    }

    @Test
    void adminPassGoesToTheNetworkPolicyTierWhichIsFinalForIsolatedPods() {
        Houses houses = Houses.houses().with(PASS_SLYTHERIN).with(BASELINE_DENY_SLYTHERIN)
                .apply(allowIngressFrom("gryffindor", "slytherin"));
        TieredExplanation explanation = houses.explain("slytherin/p0", "gryffindor/p0", "80/TCP");
        assertTrue(explanation.allowed(), explanation.text());
        assertTrue(explanation.ingress().decidedBy() instanceof TierStep.NetworkPolicyTier, explanation.text());
        assertEquals("[Admin] pass-slytherin (priority 10) ingress[0]: Pass → [NetworkPolicy] isolated by NetworkPolicy "
                + "gryffindor/allow-slytherin: allowed by NetworkPolicy gryffindor/allow-slytherin ingress[0]: Accept",
                explanation.ingress().text());
    }

    @Test
    void aLegacyPolicyOnANonIsolatedPodIsNotFinalAndBaselineStillApplies() {
        Houses houses = Houses.houses().with(BASELINE_DENY_SLYTHERIN).apply(new LegacyPolicyInfo("gryffindor", "pol1",
                Map.of(), List.of(new LegacyPolicyInfo.Rule(null, null))));
        TieredExplanation explanation = houses.explain("slytherin/p0", "gryffindor/p0", "80/TCP");
        assertEquals(false, explanation.allowed(), explanation.text());
        assertTrue(explanation.ingress().text().contains("[NetworkPolicy] not isolated (LegacyNetworkPolicy gryffindor/pol1"
                + " allowIncoming[0] matches; not final)"), explanation.ingress().text());
    }

    @Test
    void baselinePassSkipsTheRestOfBaselineAndTheDefaultAllows() {
        Houses houses = Houses.houses()
                .with(cnp("a-pass", "Baseline", 5, subjectNamespace("gryffindor"), List.of(in("Pass", "slytherin")), null))
                .with(BASELINE_DENY_SLYTHERIN);
        TieredExplanation explanation = houses.explain("slytherin/p0", "gryffindor/p0", "80/TCP");
        assertTrue(explanation.allowed(), explanation.text());
        assertEquals("[Admin] no rule matches → [NetworkPolicy] not isolated → [Baseline] a-pass (priority 5) ingress[0]:"
                + " Pass → [Default] allow", explanation.ingress().text());
    }

    @Test
    void adminPassSkipsOnlyTheRestOfTheAdminTier() {
        Houses houses = Houses.houses().with(PASS_SLYTHERIN)
                .with(cnp("deny-later", "Admin", 20, subjectNamespace("gryffindor"), List.of(in("Deny", "slytherin")), null));
        houses.expect(true, "slytherin/p0", "gryffindor/p0", "80/TCP");
        houses.with(BASELINE_DENY_SLYTHERIN);
        houses.expect(false, "slytherin/p0", "gryffindor/p0", "80/TCP");
    }

    @Test
    void equalPrioritiesInOneTierAreOrderedByName() {
        Houses houses = Houses.houses()
                .with(cnp("b-deny", "Admin", 7, subjectNamespace("gryffindor"), List.of(in("Deny", "slytherin")), null))
                .with(cnp("a-accept", "Admin", 7, subjectNamespace("gryffindor"), List.of(in("Accept", "slytherin")), null));
        TieredExplanation explanation = houses.explain("slytherin/p0", "gryffindor/p0", "80/TCP");
        assertTrue(explanation.allowed(), explanation.text());
        assertTrue(explanation.ingress().text().startsWith("[Admin] a-accept (priority 7)"), explanation.ingress().text());
        houses.with(cnp("0-deny", "Admin", 7, subjectNamespace("gryffindor"), List.of(in("Deny", "slytherin")), null));
        houses.expect(false, "slytherin/p0", "gryffindor/p0", "80/TCP");
    }

    @Test
    void theAdminTierPrecedesBaselineWhateverThePriorities() {
        Houses houses = Houses.houses()
                .with(cnp("baseline-accept", "Baseline", 0, subjectNamespace("gryffindor"), List.of(in("Accept", "slytherin")), null))
                .with(cnp("admin-deny", "Admin", 1000, subjectNamespace("gryffindor"), List.of(in("Deny", "slytherin")), null));
        houses.expect(false, "slytherin/p0", "gryffindor/p0", "80/TCP");
    }

    @Test
    void egressAcceptDoesNotOverrideTheDestinationsIngress() {
        Houses houses = Houses.houses()
                .with(cnp("out", "Admin", 1, subjectNamespace("slytherin"), null, List.of(out("Accept", "gryffindor"))))
                .apply(denyAllIngress("gryffindor"));
        TieredExplanation explanation = houses.explain("slytherin/p0", "gryffindor/p0", "80/TCP");
        assertTrue(explanation.egress().allowed());
        assertEquals(false, explanation.ingress().allowed());
        assertEquals(false, explanation.allowed());
    }

    @Test
    void trafficToThePodsOwnIpIsNotSubjectToClusterNetworkPolicy() {
        Houses houses = Houses.houses().with(cnp("deny-all", "Admin", 0, subjectNamespace("gryffindor"),
                List.of(in("Deny", "gryffindor")), List.of(out("Deny", "gryffindor"))));
        TieredExplanation self = houses.explain("gryffindor/p0", "gryffindor/p0", "80/TCP");
        assertTrue(self.allowed(), self.text());
        assertEquals("[Admin] skipped: " + TierEvaluator.OWN_POD_IP + " → [NetworkPolicy] not isolated → [Baseline] skipped: "
                + TierEvaluator.OWN_POD_IP + " → [Default] allow", self.ingress().text());
        houses.expect(false, "gryffindor/p1", "gryffindor/p0", "80/TCP");
        houses.apply(denyAllIngress("gryffindor"));
        houses.expect(false, "gryffindor/p0", "gryffindor/p0", "80/TCP");
    }

    @Test
    void aNamedPortMatchesTheDestinationsContainerPortOfThatNameWithItsOwnProtocol() {
        ClusterNetworkPolicyInfo dnsOnly = cnp("dns-only", "Admin", 1, subjectNamespace("gryffindor"), null, List.of(
                new EgressRule("dns", "Accept", List.of(new EgressPeer(Houses.namespaceNamed("hufflepuff"), null, null)),
                        List.of(ProtocolSpec.namedPort("dns"))), out("Deny", "hufflepuff")));
        Houses houses = Houses.houses().with(dnsOnly);
        houses.expect(true, "gryffindor/p0", "hufflepuff/p0", "53/UDP");
        houses.expect(false, "gryffindor/p0", "hufflepuff/p0", "53/TCP", "80/TCP", "5353/UDP");
        assertEquals("[Admin] dns-only (priority 1) egress[0] \"dns\": Accept",
                houses.explain("gryffindor/p0", "hufflepuff/p0", "53/UDP").egress().text());
    }

    @Test
    void aNamedPortOnIngressResolvesOnTheSubjectPod() {
        Houses houses = Houses.houses().with(cnp("web-only", "Baseline", 1, subjectNamespace("gryffindor"), List.of(
                new IngressRule(null, "Accept", List.of(new IngressPeer(LabelSelectorSpec.ALL, null)),
                        List.of(ProtocolSpec.namedPort("web"))), in("Deny", "slytherin")), null));
        houses.expect(true, "slytherin/p0", "gryffindor/p0", "80/TCP");
        houses.expect(false, "slytherin/p0", "gryffindor/p0", "81/TCP", "80/UDP");
    }

    @Test
    void portRangesAreInclusive() {
        Houses houses = Houses.houses().with(cnp("range", "Admin", 1, subjectNamespace("gryffindor"), List.of(
                in("Deny", "slytherin", ProtocolSpec.tcp(DestinationPort.range(8000, 8080)))), null));
        houses.expect(false, "slytherin/p0", "gryffindor/p0", "8000/TCP", "8080/TCP");
        houses.expect(true, "slytherin/p0", "gryffindor/p0", "7999/TCP", "8081/TCP", "8000/UDP");
    }

    @Test
    void networksMatchThePeersAddressByCidrInBothFamiliesWithoutCrossingThem() {
        Houses houses = Houses.houses().with(cnp("nets", "Admin", 1, subjectNamespace("gryffindor"), null, List.of(
                outToNetworks("Accept", "10.1.2.11/32"), outToNetworks("Deny", "10.1.0.0/16"))));
        houses.expect(true, "gryffindor/p0", "hufflepuff/p1", "80/TCP");
        houses.expect(false, "gryffindor/p0", "hufflepuff/p0", "80/TCP");
        houses.with(cnp("nets", "Admin", 1, subjectNamespace("gryffindor"), null, List.of(outToNetworks("Deny", "::/0"))));
        houses.expect(true, "gryffindor/p0", "hufflepuff/p0", "80/TCP");
    }

    @Test
    void anUnknownPeerMakesADenyOrPassRuleDenyAllAndAnAcceptPeerMatchNothing() {
        EgressPeer nodes = new EgressPeer(null, null, null, LabelSelectorSpec.ALL, null);
        ClusterNetworkPolicyInfo passToNodes = cnp("nodes", "Admin", 1, subjectNamespace("gryffindor"), null,
                List.of(new EgressRule(null, "Pass", List.of(nodes), null)));
        assertTrue(ClusterPolicyValidator.validate(passToNodes).inForce());
        Houses houses = Houses.houses();
        houses.with(cnp("nodes", "Admin", 1, subjectNamespace("gryffindor"), null, List.of(
                new EgressRule(null, "Accept", List.of(nodes, new EgressPeer(Houses.namespaceNamed("slytherin"), null, null)),
                        null), out("Deny", "slytherin"), out("Deny", "ravenclaw"))));
        houses.expect(true, "gryffindor/p0", "slytherin/p0", "80/TCP");
        houses.expect(false, "gryffindor/p0", "ravenclaw/p0", "80/TCP");
        houses.expect(true, "gryffindor/p0", "hufflepuff/p0", "80/TCP");
        houses.with(passToNodes);
        TieredExplanation explanation = houses.explain("gryffindor/p0", "hufflepuff/p0", "80/TCP");
        assertEquals(false, explanation.allowed());
        assertTrue(explanation.egress().text().startsWith("[Admin] nodes (priority 1) egress[0]: Deny (fail closed: "),
                explanation.egress().text());
    }

    private static NetworkPolicyInfo denyAllIngress(String namespace) {
        return new NetworkPolicyInfo(namespace, "deny-all", LabelSelectorSpec.ALL, List.of("Ingress"), null, null);
    }

    private static NetworkPolicyInfo allowIngressFrom(String namespace, String house) {
        return new NetworkPolicyInfo(namespace, "allow-" + house, LabelSelectorSpec.ALL, List.of("Ingress"),
                List.of(new NetworkPolicyInfo.Rule(List.of(new NetworkPolicyInfo.Peer(null, Houses.house(house), null)), null)),
                null);
    }
}
