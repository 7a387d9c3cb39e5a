package dev.stockade.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.DestinationPort;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.NamespacedPod;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.PortRange;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.PortSelector;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.ProtocolSpec;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Rejection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Upstream's CRD validation for ClusterNetworkPolicy v1alpha2: each rejection names the field. */
class ClusterPolicyValidatorTest {

    private static final LabelSelectorSpec TENANTS = LabelSelectorSpec.ofLabels(Map.of("tenant", "yes"));
    private static final Subject SUBJECT = new Subject(TENANTS, null);
    private static final IngressPeer FROM_MONITORING = new IngressPeer(LabelSelectorSpec.ofLabels(
            Map.of("kubernetes.io/metadata.name", "monitoring")), null);
    private static final EgressPeer TO_ALL_NAMESPACES = new EgressPeer(LabelSelectorSpec.ALL, null, null);

    private static ClusterNetworkPolicyInfo valid() {
        return new ClusterNetworkPolicyInfo("p", "Admin", 10, SUBJECT,
                List.of(new IngressRule("from-monitoring", "Accept", List.of(FROM_MONITORING),
                        List.of(ProtocolSpec.tcp(DestinationPort.number(9090))))),
                List.of(new EgressRule(null, "Pass", List.of(TO_ALL_NAMESPACES), null)));
    }

    private static ClusterNetworkPolicyInfo withSpec(String tier, Integer priority, Subject subject) {
        ClusterNetworkPolicyInfo base = valid();
        return new ClusterNetworkPolicyInfo(base.name(), tier, priority, subject, base.ingress(), base.egress());
    }

    private static ClusterNetworkPolicyInfo withIngress(IngressRule... rules) {
        ClusterNetworkPolicyInfo base = valid();
        return new ClusterNetworkPolicyInfo(base.name(), base.tier(), base.priority(), base.subject(), List.of(rules), null);
    }

    private static ClusterNetworkPolicyInfo withEgress(EgressRule... rules) {
        ClusterNetworkPolicyInfo base = valid();
        return new ClusterNetworkPolicyInfo(base.name(), base.tier(), base.priority(), base.subject(), null, List.of(rules));
    }

    private static IngressRule ingressWith(List<ProtocolSpec> protocols) {
        return new IngressRule(null, "Deny", List.of(FROM_MONITORING), protocols);
    }

    private static EgressRule toNetworks(String... cidrs) {
        return new EgressRule(null, "Deny", List.of(new EgressPeer(null, null, List.of(cidrs))), null);
    }

    /** The fields rejected, in order; asserts the object is out of force. */
    private static List<String> rejectedFields(ClusterNetworkPolicyInfo policy) {
        ClusterPolicyValidation validation = ClusterPolicyValidator.validate(policy);
        assertFalse(validation.inForce(), () -> "expected a rejection, got " + validation);
        validation.rejections().forEach(rejection -> assertEquals(policy.name() == null ? "" : policy.name(), rejection.object().name()));
        return validation.rejections().stream().map(Rejection::field).collect(Collectors.toList());
    }

    @Test
    void aWellFormedPolicyIsValidAndReadAsWritten() {
        ClusterPolicyValidation validation = ClusterPolicyValidator.validate(valid());
        assertTrue(validation.valid(), validation.rejections()::toString);
        ClusterPolicyDefinition definition = validation.definition().orElseThrow();
        assertEquals(Tier.ADMIN, definition.tier());
        assertEquals(10, definition.priority());
        assertEquals("namespaces=tenant=yes;pods=*", definition.subject().canonical());
        ClusterRule rule = definition.ingress().get(0);
        assertEquals(RuleAction.ACCEPT, rule.action());
        assertEquals("from-monitoring", rule.name());
        assertEquals(List.of(PortMatch.range(Protocol.TCP, 9090, 9090)), rule.ports());
        assertEquals("ingress[0]", rule.position());
        assertEquals(RuleAction.PASS, definition.egress().get(0).action());
        assertTrue(definition.egress().get(0).ports().isEmpty(), "no protocols = every protocol and port");
    }

    @ParameterizedTest(name = "tier ''{0}'' is rejected")
    @ValueSource(strings = {"admin", "Override", "NetworkPolicy", ""})
    void theTierIsAdminOrBaseline(String tier) {
        assertEquals(List.of("spec.tier"), rejectedFields(withSpec(tier, 10, SUBJECT)));
        assertEquals(List.of("spec.tier"), rejectedFields(withSpec(null, 10, SUBJECT)));
    }

    @ParameterizedTest(name = "priority {0} is rejected")
    @ValueSource(ints = {-1, 1001, Integer.MAX_VALUE})
    void thePriorityIsBetween0And1000(int priority) {
        assertEquals(List.of("spec.priority"), rejectedFields(withSpec("Baseline", priority, SUBJECT)));
        assertTrue(ClusterPolicyValidator.validate(withSpec("Baseline", 0, SUBJECT)).valid());
        assertTrue(ClusterPolicyValidator.validate(withSpec("Baseline", 1000, SUBJECT)).valid());
    }

    @Test
    void theSubjectIsExactlyOneOfNamespacesOrPodsAndPodsNeedAPodSelector() {
        assertEquals(List.of("spec.subject"), rejectedFields(withSpec("Admin", 1, null)));
        assertEquals(List.of("spec.subject"), rejectedFields(withSpec("Admin", 1, new Subject(null, null))));
        assertEquals(List.of("spec.subject"), rejectedFields(withSpec("Admin", 1,
                new Subject(TENANTS, new NamespacedPod(null, LabelSelectorSpec.ALL)))));
        assertEquals(List.of("spec.subject.pods.podSelector"), rejectedFields(withSpec("Admin", 1,
                new Subject(null, new NamespacedPod(TENANTS, null)))));
        ClusterPolicyDefinition pods = ClusterPolicyValidator.validate(withSpec("Admin", 1,
                new Subject(null, new NamespacedPod(null, TENANTS)))).definition().orElseThrow();
        assertEquals("namespaces=*;pods=tenant=yes", pods.subject().canonical(), "no namespaceSelector = every namespace");
    }

    @Test
    void aBadSelectorIsNamedDownToItsRequirement() {
        LabelSelectorSpec bad = new LabelSelectorSpec(null, List.of(new LabelSelectorSpec.Requirement("k", "Near", null)));
        assertEquals(List.of("spec.subject.namespaces.matchExpressions[0].operator"),
                rejectedFields(withSpec("Admin", 1, new Subject(bad, null))));
        assertEquals(List.of("spec.ingress[0].from[0].pods.namespaceSelector.matchExpressions[0].operator"),
                rejectedFields(withIngress(new IngressRule(null, "Deny", List.of(new IngressPeer(null,
                        new NamespacedPod(bad, LabelSelectorSpec.ALL))), null))));
    }

    @Test
    void atMost25RulesPerDirection() {
        IngressRule rule = valid().ingress().get(0);
        assertTrue(ClusterPolicyValidator.validate(withIngress(Collections.nCopies(25, rule).toArray(IngressRule[]::new))).valid());
        assertEquals(List.of("spec.ingress"), rejectedFields(withIngress(Collections.nCopies(26, rule).toArray(IngressRule[]::new))));
        EgressRule out = valid().egress().get(0);
        assertEquals(List.of("spec.egress"), rejectedFields(withEgress(Collections.nCopies(26, out).toArray(EgressRule[]::new))));
    }

    @Test
    void aRuleNeedsAKnownActionAndAtMost100CharactersOfName() {
        assertEquals(List.of("spec.ingress[0].action"), rejectedFields(withIngress(new IngressRule(null, "Allow",
                List.of(FROM_MONITORING), null))));
        assertEquals(List.of("spec.ingress[0].action"), rejectedFields(withIngress(new IngressRule(null, null,
                List.of(FROM_MONITORING), null))));
        assertEquals(List.of("spec.egress[0].name"), rejectedFields(withEgress(new EgressRule("x".repeat(101), "Deny",
                List.of(TO_ALL_NAMESPACES), null))));
        assertTrue(ClusterPolicyValidator.validate(withEgress(new EgressRule("x".repeat(100), "Deny",
                List.of(TO_ALL_NAMESPACES), null))).valid());
    }

    @Test
    void peersAreRequiredOneTo25() {
        assertEquals(List.of("spec.ingress[0].from"), rejectedFields(withIngress(new IngressRule(null, "Deny", null, null))));
        assertEquals(List.of("spec.ingress[0].from"), rejectedFields(withIngress(new IngressRule(null, "Deny", List.of(), null))));
        assertEquals(List.of("spec.egress[0].to"), rejectedFields(withEgress(new EgressRule(null, "Deny",
                Collections.nCopies(26, TO_ALL_NAMESPACES), null))));
    }

    @Test
    void aPeerSetsExactlyOneField() {
        assertEquals(List.of("spec.ingress[0].from[0]"), rejectedFields(withIngress(new IngressRule(null, "Deny",
                List.of(new IngressPeer(TENANTS, new NamespacedPod(null, LabelSelectorSpec.ALL))), null))));
        assertEquals(List.of("spec.egress[0].to[0]"), rejectedFields(withEgress(new EgressRule(null, "Deny",
                List.of(new EgressPeer(TENANTS, null, List.of("10.0.0.0/8"))), null))));
        assertEquals(List.of("spec.egress[0].to[0].pods.podSelector"), rejectedFields(withEgress(new EgressRule(null, "Deny",
                List.of(new EgressPeer(null, new NamespacedPod(TENANTS, null), null)), null))));
    }

    @Test
    void protocolsWhenPresentHoldOneTo25EntriesOfExactlyOneField() {
        assertEquals(List.of("spec.ingress[0].protocols"), rejectedFields(withIngress(ingressWith(List.of()))));
        assertEquals(List.of("spec.ingress[0].protocols"), rejectedFields(withIngress(ingressWith(
                Collections.nCopies(26, ProtocolSpec.udp(DestinationPort.number(53)))))));
        assertEquals(List.of("spec.ingress[0].protocols[1]"), rejectedFields(withIngress(ingressWith(List.of(
                ProtocolSpec.udp(DestinationPort.number(53)), new ProtocolSpec(new PortSelector(DestinationPort.number(1)),
                        null, null, "dns"))))));
        assertEquals(List.of("spec.ingress[0].protocols[0]"), rejectedFields(withIngress(ingressWith(List.of(
                new ProtocolSpec(null, null, null, null))))));
    }

    @Test
    void aProtocolNeedsADestinationPortThatIsANumberOrARange() {
        assertEquals(List.of("spec.ingress[0].protocols[0].sctp"), rejectedFields(withIngress(ingressWith(List.of(
                new ProtocolSpec(null, null, new PortSelector(null), null))))));
        assertEquals(List.of("spec.ingress[0].protocols[0].tcp.destinationPort"), rejectedFields(withIngress(ingressWith(
                List.of(ProtocolSpec.tcp(new DestinationPort(80, new PortRange(1, 2))))))));
        assertEquals(List.of("spec.ingress[0].protocols[0].tcp.destinationPort"), rejectedFields(withIngress(ingressWith(
                List.of(ProtocolSpec.tcp(new DestinationPort(null, null)))))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "number 0, 0, , , spec.ingress[0].protocols[0].udp.destinationPort.number",
            "number 65536, 65536, , , spec.ingress[0].protocols[0].udp.destinationPort.number",
            "range start 0, , 0, 10, spec.ingress[0].protocols[0].udp.destinationPort.range.start",
            "range end 65536, , 10, 65536, spec.ingress[0].protocols[0].udp.destinationPort.range.end",
            "range start = end, , 10, 10, spec.ingress[0].protocols[0].udp.destinationPort.range",
            "range start > end, , 11, 10, spec.ingress[0].protocols[0].udp.destinationPort.range",
            "range without end, , 10, , spec.ingress[0].protocols[0].udp.destinationPort.range.end"})
    void portNumbersAreBetween1And65535AndARangeStartsBelowItsEnd(String name, Integer number, Integer start, Integer end,
                                                                  String field) {
        DestinationPort port = number != null ? DestinationPort.number(number) : new DestinationPort(null, new PortRange(start, end));
        assertEquals(List.of(field), rejectedFields(withIngress(ingressWith(List.of(ProtocolSpec.udp(port))))));
    }

    @Test
    void aNamedPortMatchesItsNameOnEveryProtocolAndARangeIsKept() {
        ClusterRule rule = ClusterPolicyValidator.validate(withIngress(ingressWith(List.of(ProtocolSpec.namedPort("dns"),
                ProtocolSpec.sctp(DestinationPort.range(1, 65535)))))).definition().orElseThrow().ingress().get(0);
        assertEquals(List.of(PortMatch.named(Protocol.TCP, "dns"), PortMatch.named(Protocol.UDP, "dns"),
                PortMatch.allOf(Protocol.SCTP), PortMatch.named(Protocol.SCTP, "dns")), rule.ports());
    }

    @ParameterizedTest(name = "''{0}'' is a network")
    @CsvSource({"10.0.0.0/8, 10.0.0.0/8", "10.1.2.3/24, 10.1.2.0/24", "0.0.0.0/0, 0.0.0.0/0", "fd00::/8, fd00:0:0:0:0:0:0:0/8",
            "::/0, 0:0:0:0:0:0:0:0/0", "64:ff9b::10.0.0.1/128, 64:ff9b:0:0:0:0:a00:1/128"})
    void networksAreCidrsAsIsCidrAcceptsThem(String text, String canonical) {
        ClusterRule rule = ClusterPolicyValidator.validate(withEgress(toNetworks(text))).definition().orElseThrow().egress().get(0);
        assertEquals(canonical, rule.networks().get(0).toString());
    }

    @ParameterizedTest(name = "''{0}'' is not a network")
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "010.0.0.0/8", "10.0.0.0/08", "10.0.0.0/+8", "fe80::1%eth0/64",
            "::ffff:10.0.0.0/104", "::ffff:a00:0/104", "fd00::/129", "example.com/8", "10.0.0.0/8/8", ""})
    void malformedNetworksAreRejected(String text) {
        assertEquals(List.of("spec.egress[0].to[0].networks[0]"), rejectedFields(withEgress(toNetworks(text))));
    }

    @Test
    void networksAreASetOfOneTo25CidrsOfAtMost43Characters() {
        assertEquals(List.of("spec.egress[0].to[0].networks[1]"), rejectedFields(withEgress(toNetworks("10.0.0.0/8", "10.0.0.0/8"))));
        assertEquals(List.of("spec.egress[0].to[0].networks"), rejectedFields(withEgress(toNetworks())));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            many.add("10.0." + i + ".0/24");
        }
        assertEquals(List.of("spec.egress[0].to[0].networks"), rejectedFields(withEgress(toNetworks(many.toArray(String[]::new)))));
        assertEquals(List.of("spec.egress[0].to[0].networks[0]"),
                rejectedFields(withEgress(toNetworks("0000:0000:0000:0000:0000:0000:255.255.255.255/128"))), "49 characters");
    }

    @Test
    void aNamedPortCannotBeCombinedWithANetworksPeer() {
        EgressRule rule = new EgressRule(null, "Accept", List.of(TO_ALL_NAMESPACES, new EgressPeer(null, null,
                List.of("10.0.0.0/8"))), List.of(ProtocolSpec.namedPort("http")));
        assertEquals(List.of("spec.egress[0]"), rejectedFields(withEgress(rule)));
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        ClusterNetworkPolicyInfo policy = new ClusterNetworkPolicyInfo("bad", "Tier0", 5000, null, List.of(
                new IngressRule(null, "Drop", List.of(), null)), List.of(toNetworks("nope")));
        assertEquals(List.of("spec.tier", "spec.priority", "spec.subject", "spec.ingress[0].action", "spec.ingress[0].from",
                "spec.egress[0].to[0].networks[0]"), rejectedFields(policy));
        assertEquals("ClusterNetworkPolicy bad: spec.tier: unsupported value 'Tier0' (expected Admin or Baseline)",
                ClusterPolicyValidator.validate(policy).rejections().get(0).toString());
    }

    @Test
    void aPolicyWithoutANameIsRejected() {
        ClusterNetworkPolicyInfo base = valid();
        assertEquals(List.of("metadata.name"), rejectedFields(new ClusterNetworkPolicyInfo(null, base.tier(),
                base.priority(), base.subject(), base.ingress(), base.egress())));
    }

    @Test
    void anUnknownPeerInADenyOrPassRuleMakesItDenyAllAndIsNotedOnThePeer() {
        for (String action : List.of("Deny", "Pass")) {
            ClusterPolicyValidation validation = ClusterPolicyValidator.validate(withEgress(new EgressRule(null, action,
                    List.of(TO_ALL_NAMESPACES, new EgressPeer(null, null, null, null, List.of("*.example.com"))), null)));
            assertTrue(validation.inForce());
            assertFalse(validation.valid());
            assertEquals("spec.egress[0].to[1].domainNames", validation.rejections().get(0).field());
            ClusterRule rule = validation.definition().orElseThrow().egress().get(0);
            assertEquals(RuleAction.DENY, rule.action());
            assertTrue(rule.anyPeer());
            assertTrue(rule.ports().isEmpty());
            assertTrue(rule.failedClosed().contains("domainNames"));
        }
    }

    @Test
    void anUnknownPeerInAnAcceptRuleMatchesNothingWhileTheOtherPeersStillDo() {
        ClusterPolicyValidation validation = ClusterPolicyValidator.validate(withIngress(new IngressRule(null, "Accept",
                List.of(new IngressPeer(null, null), FROM_MONITORING), null)));
        assertTrue(validation.inForce());
        assertEquals("spec.ingress[0].from[0]", validation.rejections().get(0).field());
        ClusterRule rule = validation.definition().orElseThrow().ingress().get(0);
        assertEquals(RuleAction.ACCEPT, rule.action());
        assertFalse(rule.anyPeer());
        assertEquals(1, rule.pods().size());
        assertEquals(null, rule.failedClosed());
    }

    @Test
    void definitionsAreOrderedByTierThenPriorityThenName() {
        List<ClusterPolicyDefinition> definitions = new ArrayList<>();
        for (String[] spec : new String[][]{{"z", "Baseline", "0"}, {"b", "Admin", "5"}, {"a", "Admin", "5"}, {"c", "Admin", "1"}}) {
            ClusterNetworkPolicyInfo base = valid();
            definitions.add(ClusterPolicyValidator.validate(new ClusterNetworkPolicyInfo(spec[0], spec[1],
                    Integer.parseInt(spec[2]), base.subject(), base.ingress(), base.egress())).definition().orElseThrow());
        }
        definitions.sort(ClusterPolicyDefinition.PRECEDENCE);
        assertEquals(List.of("c", "a", "b", "z"), definitions.stream().map(ClusterPolicyDefinition::name).toList());
    }
}
