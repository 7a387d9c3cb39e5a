package dev.stockade.agent.dataplane;

import static dev.stockade.agent.dataplane.Given.ingressPolicy;
import static dev.stockade.agent.dataplane.Given.labels;
import static dev.stockade.agent.dataplane.Given.map;
import static dev.stockade.agent.dataplane.Given.pod;
import static dev.stockade.agent.dataplane.Given.pods;
import static dev.stockade.agent.dataplane.Given.port;
import static dev.stockade.agent.dataplane.Given.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.ResourceEvent;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failing closed for new pods, rendered: which local addresses have a verdict, what a new pod's
 * arrival changes in the kernel, and that with the flag off the table is exactly what it was before
 * local pods existed. The real-packet side is {@code NewPodsFailClosedIT}.
 */
class NewPodsTest {

    private static final NewPods NODE_1 = NewPods.of(true, List.of("10.244.1.0/24", "10.244.2.0/24"));
    private static final NetworkPolicyInfo ALLOW_FROM_B = ingressPolicy("x", "allow-b", labels("pod", "a"),
            rule(List.of(pods(labels("pod", "b"))), List.of(port("TCP", 80))));

    static List<NftRendererTest.Scenario> scenarios() {
        return NftRendererTest.scenarios().toList();
    }

    /** The flag off: the rule set's local pods change nothing, whatever CIDRs are configured. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void withFailClosedOffTheTableIsExactlyTheOneWithoutLocalPods(NftRendererTest.Scenario scenario) {
        NodeRuleSet rules = scenario.node().get();
        NftTable withoutLocalPods = TableBuilder.build(new NodeRuleSet(rules.node(), rules.policies(),
                rules.appliedToGroups(), rules.addressGroups()));
        assertEquals(withoutLocalPods, TableBuilder.build(rules, NewPods.OPEN));
        assertEquals(withoutLocalPods, TableBuilder.build(rules, new NewPods(false, NODE_1.podCidrs())));
        assertEquals(withoutLocalPods, TableBuilder.build(rules, NewPods.failClosed(List.of())),
                "no pod CIDRs: nothing to guard");
    }

    @Test
    void theFlagOffIgnoresLocalPodChangesEntirely() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B);
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.added(pod("x", "new", "node-1", "10.244.1.21", map()))));
        assertEquals(1, delta.localPods().added().size());
        assertEquals("", NftRenderer.renderDelta(before, before.apply(delta), NewPods.OPEN));
    }

    @Test
    void knownAreTheLocalPodsAndTheAppliedToMembersOnly() {
        NodeRuleSet rules = NftRendererTest.cluster().with(ALLOW_FROM_B).node("node-1");
        NftTable table = TableBuilder.build(rules, NODE_1);
        assertEquals(Set.of("10.244.1.11", "10.244.1.13", "10.244.2.11"),
                table.sets().get(Names.localKnown(4)).elements().keySet(), "x/a (isolated), x/c and y/a (open)");
        assertEquals(List.of("10.244.1.0-10.244.2.255"), List.copyOf(table.sets().get(Names.localCidrs(4)).elements().keySet()),
                "adjacent CIDRs merge: an interval set rejects overlaps");
        assertFalse(table.sets().containsKey(Names.localCidrs(6)), "no IPv6 pod CIDR: IPv6 is not guarded");
        List<String> forward = table.chains().get(Names.FORWARD).rules();
        assertEquals("ct state established,related accept", forward.get(0));
        assertTrue(forward.get(1).startsWith("ip saddr @local-cidrs-4 ip saddr != @local-known-4 counter drop"), forward.get(1));
        assertTrue(forward.get(2).startsWith("ip daddr @local-cidrs-4 ip daddr != @local-known-4 counter drop"), forward.get(2));
    }

    /** Absent = unknown: a rule set decoded from a compiler that lists no local pods opens only its isolated pods. */
    @Test
    void aRuleSetWithoutLocalPodsKnowsOnlyItsIsolatedPods() {
        NodeRuleSet rules = NftRendererTest.cluster().with(ALLOW_FROM_B).node("node-1");
        NodeRuleSet old = new NodeRuleSet(rules.node(), rules.policies(), rules.appliedToGroups(), rules.addressGroups(),
                new TreeMap<>());
        assertEquals(Set.of("10.244.1.11"), TableBuilder.build(old, NODE_1).sets().get(Names.localKnown(4)).elements().keySet());
    }

    @Test
    void aNewPodThatNoPolicySelectsOpensWithOneElement() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B);
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.added(pod("x", "new", "node-1", "10.244.1.21", map()))));
        assertEquals("add element inet stockade local-known-4 { 10.244.1.21 }\n",
                NftRenderer.renderDelta(before, before.apply(delta), NODE_1));
    }

    @Test
    void aNewPodAPolicySelectsGetsItsChainAndMapEntryInTheTransactionThatMakesItKnown() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B);
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.added(pod("x", "a2", "node-1", "10.244.1.22", map("pod", "a")))));
        String script = NftRenderer.renderDelta(before, before.apply(delta), NODE_1);
        assertTrue(script.contains("add element inet stockade local-known-4 { 10.244.1.22 }"), script);
        assertTrue(script.contains("add chain inet stockade in-x/a2"), script);
        assertTrue(script.contains("add element inet stockade ingress-4 { 10.244.1.22 : jump in-x/a2 }"), script);
    }

    @Test
    void aDeletedPodIsUnknownAgain() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B);
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.deleted(pod("x", "c", "node-1", "10.244.1.13", map("pod", "c")))));
        assertEquals("delete element inet stockade local-known-4 { 10.244.1.13 }\n",
                NftRenderer.renderDelta(before, before.apply(delta), NODE_1));
    }

    @Test
    void aPodCidrThatIsNotACidrIsRefusedByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> NewPods.of(true, List.of("10.244.1.0/24", " 10.244.300.0/24")));
        assertTrue(refused.getMessage().contains("'10.244.300.0/24'"), refused.getMessage());
        assertEquals(1, NewPods.of(true, List.of("10.244.1.0/24", " ")).podCidrs().size(), "blank entries are skipped");
    }

    private static NodeDelta single(List<NodeDelta> deltas) {
        List<NodeDelta> onNode = deltas.stream().filter(delta -> delta.node().equals("node-1")).toList();
        assertEquals(1, onNode.size(), "deltas for node-1: " + deltas);
        return onNode.get(0);
    }
}
