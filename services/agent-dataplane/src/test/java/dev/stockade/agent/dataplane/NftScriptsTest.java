package dev.stockade.agent.dataplane;

import static dev.stockade.agent.dataplane.Given.egressPolicy;
import static dev.stockade.agent.dataplane.Given.ingressPolicy;
import static dev.stockade.agent.dataplane.Given.labels;
import static dev.stockade.agent.dataplane.Given.map;
import static dev.stockade.agent.dataplane.Given.namedPort;
import static dev.stockade.agent.dataplane.Given.pod;
import static dev.stockade.agent.dataplane.Given.pods;
import static dev.stockade.agent.dataplane.Given.port;
import static dev.stockade.agent.dataplane.Given.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.ResourceEvent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Incremental scripts: what a NodeDelta turns into, one transaction of element and rule changes. */
class NftScriptsTest {

    private static final NetworkPolicyInfo ALLOW_FROM_B = ingressPolicy("x", "allow-b", labels("pod", "a"),
            rule(List.of(pods(labels("pod", "b"))), List.of(port("TCP", 80))));

    @Test
    void aPodJoiningAPeerGroupIsOneElementAddition() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B,
                pod("x", "b2", "node-3", "10.244.1.99", map("pod", "nob")));
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.modified(pod("x", "b2", "node-3", "10.244.1.99", map("pod", "b")))));
        String script = NftRenderer.renderDelta(before, delta);
        assertEquals("add element inet stockade " + addressSet(before) + " { 10.244.1.99 }\n", script);
    }

    @Test
    void aPodLeavingAPeerGroupIsOneElementDeletion() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B, pod("x", "b2", "node-3", "10.244.1.99", map("pod", "b")));
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.deleted(pod("x", "b2", "node-3", "10.244.1.99", map("pod", "b")))));
        assertEquals("delete element inet stockade " + addressSet(before) + " { 10.244.1.99 }\n",
                NftRenderer.renderDelta(before, delta));
    }

    @Test
    void aNewlyIsolatedLocalPodGetsItsChainBeforeItsMapEntry() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B);
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.modified(pod("x", "c", "node-1", "10.244.1.13", map("pod", "a")))));
        List<String> lines = Arrays.asList(NftRenderer.renderDelta(before, delta).split("\n"));
        int chain = indexOf(lines, "add chain inet stockade in-x/c");
        int entry = indexOf(lines, "add element inet stockade ingress-4 { 10.244.1.13 : jump in-x/c }");
        assertTrue(chain >= 0 && entry > chain, "chain first, then the map entry: " + lines);
    }

    @Test
    void aDeletedPolicyIsGarbageCollectedAfterItsMapEntriesAreGone() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B);
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.deleted(ALLOW_FROM_B)));
        List<String> lines = Arrays.asList(NftRenderer.renderDelta(before, delta).split("\n"));
        int entry = indexOf(lines, "delete element inet stockade ingress-4 { 10.244.1.11 }");
        int chain = indexOf(lines, "delete chain inet stockade in-x/a");
        int set = indexOf(lines, "delete set inet stockade " + addressSet(before));
        assertTrue(entry >= 0 && chain > entry && set > chain, "entry, chain, then set: " + lines);
        assertEquals(NftScripts.snapshot(TableBuilder.build(NodeRuleSet.empty("node-1"))),
                NftRenderer.render(before.apply(delta)), "nothing is left behind");
    }

    @Test
    void aChangedPolicyRefillsOnlyTheChainsOfPodsItAppliesTo() {
        Given given = NftRendererTest.cluster().with(ALLOW_FROM_B);
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.modified(ingressPolicy("x", "allow-b", labels("pod", "a"),
                rule(List.of(pods(labels("pod", "b"))), List.of(port("TCP", 81)))))));
        String script = NftRenderer.renderDelta(before, delta);
        assertTrue(script.startsWith("flush chain inet stockade in-x/a\n"), script);
        assertTrue(script.contains("th dport 81 accept"), script);
        assertTrue(!script.contains("ingress-4"), "the map entry stays: " + script);
    }

    @Test
    void aPeerDeclaringANamedPortAddsAnAddressAndPortElement() {
        Given given = NftRendererTest.cluster().with(egressPolicy("x", "named", labels("pod", "a"),
                rule(List.of(pods(labels())), List.of(namedPort("TCP", "serve-80-tcp")))));
        NodeRuleSet before = given.node("node-1");
        NodeDelta delta = single(given.apply(ResourceEvent.added(pod("x", "d", "node-2", "10.244.1.14", map("pod", "d")))));
        String script = NftRenderer.renderDelta(before, delta);
        assertTrue(script.contains(" { 10.244.1.14 . 80 }"), script);
        assertTrue(!script.contains("chain"), "no rule changes: " + script);
    }

    @Test
    void equalRuleSetsNeedNoScript() {
        NodeRuleSet node = NftRendererTest.cluster().with(ALLOW_FROM_B).node("node-1");
        assertEquals("", NftRenderer.renderDelta(node, node));
    }

    private static NodeDelta single(List<NodeDelta> deltas) {
        List<NodeDelta> onNode = deltas.stream().filter(delta -> delta.node().equals("node-1")).toList();
        assertEquals(1, onNode.size(), "deltas for node-1: " + deltas);
        return onNode.get(0);
    }

    private static String addressSet(NodeRuleSet node) {
        return Names.addressSet(node.addressGroups().firstKey(), 4);
    }

    /** Index of the first line starting with {@code start}; -1 when none does. */
    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }
}
