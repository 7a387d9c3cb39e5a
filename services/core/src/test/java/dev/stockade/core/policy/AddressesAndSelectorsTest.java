package dev.stockade.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NetworkPolicyInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesAndSelectorsTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0/8", "10.1.2.3/24, 10.1.2.0/24", "0.0.0.0/0, 0.0.0.0/0", "192.168.1.1/32, 192.168.1.1/32",
            "fd00::/8, fd00:0:0:0:0:0:0:0/8", "2001:db8::1/64, 2001:db8:0:0:0:0:0:0/64", "::/0, 0:0:0:0:0:0:0:0/0"})
    void aCidrIsNormalisedToItsNetworkAddress(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).orElseThrow().toString());
    }

    @ParameterizedTest(name = "''{0}'' is not a CIDR")
    @CsvSource({"10.0.0.0", "10.0.0.0/33", "10.0.0/8", "256.0.0.0/8", "010.0.0.0/8", "10.0.0.0/-1", "host/8",
            "fd00::/129", "1:2:3:4:5:6:7:8:9/64", "1::2::3/64", "'', "})
    void malformedCidrsAreRefused(String text) {
        assertTrue(Cidr.parse(text).isEmpty());
    }

    @Test
    void anIpBlockContainsItsCidrMinusItsHoles() {
        IpBlock block = new IpBlock(Cidr.parse("10.0.0.0/16").orElseThrow(), List.of(Cidr.parse("10.0.1.0/24").orElseThrow()));
        assertTrue(block.contains(IpAddress.parse("10.0.0.7").orElseThrow()));
        assertFalse(block.contains(IpAddress.parse("10.0.1.7").orElseThrow()));
        assertFalse(block.contains(IpAddress.parse("10.1.0.7").orElseThrow()));
        assertFalse(block.contains(IpAddress.parse("::ffff:a00:7").orElseThrow()), "IPv6 never matches an IPv4 block");
    }

    @Test
    void selectorsWithTheSameMeaningHaveTheSameCanonicalForm() {
        Validation.Problems problems = new Validation.Problems(null);
        Selector one = SelectorParser.parse(new LabelSelectorSpec(Map.of("b", "2", "a", "1"),
                List.of(new LabelSelectorSpec.Requirement("c", "In", List.of("y", "x")))), "s", problems);
        Selector two = SelectorParser.parse(new LabelSelectorSpec(Map.of("a", "1"), List.of(
                new LabelSelectorSpec.Requirement("c", "In", List.of("x", "y")),
                new LabelSelectorSpec.Requirement("b", "In", List.of("2")))), "s", problems);
        assertEquals(one, two);
        assertEquals("a=1,b=2,c in (x,y)", one.canonical());
        assertEquals("*", Selector.ALL.canonical());
    }

    @Test
    void anEgressRuleWithNamedPortsIsSplitSoNamedPortsOnlyMatchPods() {
        NetworkPolicyInfo policy = new NetworkPolicyInfo("x", "p", null, List.of("Egress"), null, List.of(
                new NetworkPolicyInfo.Rule(List.of(new NetworkPolicyInfo.Peer(null, null,
                        new NetworkPolicyInfo.IpBlockSpec("10.0.0.0/8", null))),
                        List.of(new NetworkPolicyInfo.Port(null, null, "http", null),
                                new NetworkPolicyInfo.Port("UDP", 53, null, null)))));
        List<RuleDefinition> rules = PolicyValidator.validate(policy).definition().orElseThrow().rules();
        assertEquals(2, rules.size());
        assertEquals(List.of(PortMatch.range(dev.stockade.core.model.Protocol.UDP, 53, 53)), rules.get(0).ports());
        assertEquals(1, rules.get(0).ipBlocks().size());
        assertEquals(List.of(PortMatch.named(dev.stockade.core.model.Protocol.TCP, "http")), rules.get(1).ports());
        assertTrue(rules.get(1).ipBlocks().isEmpty());
        assertTrue(rules.get(1).podPeers().get(0) instanceof PodSelection.InIpBlock);
        assertEquals(0, rules.get(1).index(), "both parts keep the rule's index");
    }

    @Test
    void theBetaAnnotationIsReadAsJson() {
        assertEquals(Map.of("ingress", Map.of("isolation", "DefaultDeny")),
                MiniJson.parse(" {\"ingress\": {\"isolation\": \"DefaultDeny\"}} "));
    }
}
