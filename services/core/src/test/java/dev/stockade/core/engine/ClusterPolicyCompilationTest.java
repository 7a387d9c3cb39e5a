package dev.stockade.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.PolicyTier;
import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.RuleAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ClusterNetworkPolicies compiled (services/core/CLUSTER-NETWORK-POLICY.md, "Compiled form"): a
 * policy goes to the nodes of its subject's pods, its peer groups only where it goes; its rules keep
 * their actions and order; networks are ipBlocks; a rule that fails closed is a Deny of every peer;
 * a change of tier replaces the policy.
 */
class ClusterPolicyCompilationTest {

    private static final LabelSelectorSpec TEAM_A = LabelSelectorSpec.ofLabels(Map.of("team", "a"));
    private static final LabelSelectorSpec TEAM_B = LabelSelectorSpec.ofLabels(Map.of("team", "b"));

    /** Team a's pod runs on node-1, team b's on node-2. */
    private static Engine twoTeams() {
        Engine engine = new Engine();
        engine.apply(ResourceEvent.added(new NamespaceInfo("team-a", Map.of("team", "a"), null)));
        engine.apply(ResourceEvent.added(new NamespaceInfo("team-b", Map.of("team", "b"), null)));
        engine.apply(ResourceEvent.added(new PodInfo("team-a", "p", Map.of(), "node-1", List.of("10.0.0.1"), List.of())));
        engine.apply(ResourceEvent.added(new PodInfo("team-b", "q", Map.of(), "node-2", List.of("10.0.0.2"), List.of())));
        return engine;
    }

    private static ClusterNetworkPolicyInfo isolateTeamA(String tier, int priority) {
        return new ClusterNetworkPolicyInfo("isolate-a", tier, priority, new Subject(TEAM_A, null),
                List.of(new IngressRule("deny-b", "Deny", List.of(new IngressPeer(TEAM_B, null)), null)),
                List.of(new EgressRule("to-net", "Pass", List.of(new EgressPeer(null, null, List.of("192.168.0.0/16"))), null),
                        new EgressRule("unknown", "Accept", List.of(new EgressPeer(null, null, null)), null),
                        new EgressRule("nodes", "Pass", List.of(new EgressPeer(null, null, null, TEAM_B, null)), null)));
    }

    @Test
    void aPolicyGoesToTheNodesOfItsSubjectsPodsWithItsPeerGroupsAndNowhereElse() {
        Engine engine = twoTeams();
        List<NodeDelta> deltas = engine.apply(ResourceEvent.added(isolateTeamA("Admin", 10))).deltas();
        assertEquals(List.of("node-1"), deltas.stream().map(NodeDelta::node).toList());
        assertEquals(1, engine.ruleSet("node-1").policies().size());
        assertEquals(List.of("team-b/q"), List.copyOf(engine.ruleSet("node-1").addressGroups().values().iterator().next()
                .members().keySet()), "the peer group, with its members on other nodes, is where the rules are");
        assertTrue(engine.ruleSet("node-2").policies().isEmpty());
        assertTrue(engine.ruleSet("node-2").addressGroups().isEmpty());
        assertEquals(Compiler.compile(engine.state()).ruleSetFor("node-1"), engine.ruleSet("node-1"));
    }

    @Test
    void rulesKeepTheirTierPriorityActionsAndOrderAndNetworksBecomeIpBlocks() {
        Engine engine = twoTeams();
        engine.apply(ResourceEvent.added(isolateTeamA("Admin", 10)));
        CompiledPolicy policy = engine.ruleSet("node-1").policies().values().iterator().next();
        assertEquals(PolicyKind.AdminClusterNetworkPolicy, policy.ref().kind());
        assertEquals(PolicyTier.ADMIN, policy.tier());
        assertEquals(10, policy.priority());
        assertEquals(List.of(), policy.isolates(), "a ClusterNetworkPolicy reads its rules as written: no isolation");
        List<CompiledRule> rules = policy.rules();
        assertEquals(List.of(RuleAction.DENY, RuleAction.PASS, RuleAction.ACCEPT, RuleAction.DENY),
                rules.stream().map(CompiledRule::action).toList());
        assertEquals(List.of(Direction.INGRESS, Direction.EGRESS, Direction.EGRESS, Direction.EGRESS),
                rules.stream().map(CompiledRule::direction).toList());
        assertEquals(List.of(new IpBlock(Cidr.parse("192.168.0.0/16").orElseThrow(), List.of())), rules.get(1).ipBlocks());
        CompiledRule acceptOfUnknownPeer = rules.get(2);
        assertEquals(false, acceptOfUnknownPeer.anyPeer(), "an Accept rule's unknown peer matches nothing");
        assertTrue(acceptOfUnknownPeer.addressGroups().isEmpty() && acceptOfUnknownPeer.ipBlocks().isEmpty());
        CompiledRule passOfNodes = rules.get(3);
        assertTrue(passOfNodes.anyPeer() && passOfNodes.ports().isEmpty(), "a Pass rule failing closed denies all");
    }

    @Test
    void aChangeOfTierOrPriorityReplacesThePolicyAndDeletionRemovesItsGroups() {
        Engine engine = twoTeams();
        engine.apply(ResourceEvent.added(isolateTeamA("Admin", 10)));
        String admin = engine.ruleSet("node-1").policies().firstKey();
        NodeDelta moved = engine.apply(ResourceEvent.modified(isolateTeamA("Baseline", 10))).deltas().get(0);
        assertEquals(List.of(admin), moved.policies().removed());
        assertEquals(PolicyTier.BASELINE, moved.policies().added().get(0).tier());
        NodeDelta reprioritised = engine.apply(ResourceEvent.modified(isolateTeamA("Baseline", 20))).deltas().get(0);
        assertEquals(1, reprioritised.policies().removed().size());
        assertEquals(20, reprioritised.policies().added().get(0).priority());
        engine.apply(ResourceEvent.deleted(isolateTeamA("Baseline", 20)));
        assertTrue(engine.ruleSet("node-1").policies().isEmpty());
        assertTrue(engine.ruleSet("node-1").appliedToGroups().isEmpty());
        assertTrue(engine.ruleSet("node-1").addressGroups().isEmpty());
    }
}
