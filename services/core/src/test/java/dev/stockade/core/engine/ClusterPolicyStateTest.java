package dev.stockade.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.model.ResourceKind;
import dev.stockade.core.policy.ClusterPolicyDefinition;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.PolicyRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ClusterNetworkPolicies in the cluster state: validated on upsert, the last version in force kept
 * on an invalid update, rejections naming the object and field (their compiled form:
 * {@link ClusterPolicyCompilationTest}).
 */
class ClusterPolicyStateTest {

    private static ClusterNetworkPolicyInfo policy(String name, String tier, Integer priority) {
        return new ClusterNetworkPolicyInfo(name, tier, priority,
                new Subject(LabelSelectorSpec.ofLabels(Map.of("team", "a")), null),
                List.of(new IngressRule("deny-b", "Deny",
                        List.of(new IngressPeer(LabelSelectorSpec.ofLabels(Map.of("team", "b")), null)), null)),
                null);
    }

    private static final ObjectRef REF = new ObjectRef(ResourceKind.CLUSTER_NETWORK_POLICY, "", "isolate-a");

    @Test
    void aClusterNetworkPolicyIsAClusterScopedResource() {
        assertEquals(REF, policy("isolate-a", "Admin", 10).ref());
        assertEquals("ClusterNetworkPolicy isolate-a", REF.toString());
    }

    @Test
    void aValidPolicyIsInForceWithItsTiersKind() {
        ClusterState state = ClusterState.of(List.of(policy("isolate-a", "Baseline", 10)));
        assertEquals(List.of("isolate-a"), state.clusterPolicies().stream().map(ClusterPolicyDefinition::name).toList());
        assertEquals(new PolicyRef(PolicyKind.BaselineClusterNetworkPolicy, "", "isolate-a"),
                state.clusterPolicies().get(0).ref());
        assertTrue(state.rejections().isEmpty());
    }

    @Test
    void anInvalidUpdateIsRejectedWithTheFieldNamedAndTheLastValidVersionStaysInForce() {
        ClusterState state = ClusterState.of(List.of(policy("isolate-a", "Admin", 10)));
        StateChange change = state.apply(ResourceEvent.added(policy("isolate-a", "Admin", 1001)));
        assertEquals(List.of(new Rejection(REF, "spec.priority", "1001 is outside 0-1000")), change.rejections());
        assertEquals(10, state.clusterPolicies().get(0).priority());
        state.apply(ResourceEvent.added(policy("isolate-a", "Admin", 20)));
        assertEquals(20, state.clusterPolicies().get(0).priority());
        assertTrue(state.rejections().isEmpty(), "a valid update clears the rejection");
    }

    @Test
    void anInvalidNewPolicyIsAbsentAndDeletingRemovesPolicyAndRejections() {
        ClusterState state = ClusterState.of(List.of(policy("isolate-a", "Tenant", 10), policy("other", "Admin", 5)));
        assertEquals(List.of("other"), state.clusterPolicies().stream().map(ClusterPolicyDefinition::name).toList());
        assertEquals("spec.tier", state.rejections().get(0).field());
        state.apply(ResourceEvent.deleted(policy("isolate-a", null, null)));
        state.apply(ResourceEvent.deleted(policy("other", null, null)));
        assertTrue(state.clusterPolicies().isEmpty());
        assertTrue(state.rejections().isEmpty());
        assertTrue(state.policyObjects().isEmpty());
    }

    @Test
    void policiesAreListedInPrecedenceOrderAndSurviveNamespaceDeletion() {
        ClusterState state = ClusterState.of(List.of(policy("b", "Baseline", 0), policy("z", "Admin", 10),
                policy("a", "Admin", 10), new NamespaceInfo("team-a", Map.of("team", "a"), null)));
        state.apply(ResourceEvent.deleted(new NamespaceInfo("team-a", null, null)));
        assertEquals(List.of("a", "z", "b"), state.clusterPolicies().stream().map(ClusterPolicyDefinition::name).toList());
    }
}
