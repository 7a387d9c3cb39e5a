package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which applied objects the compiler's state store keeps ({@link CompilerLoop#refused}): everything
 * in force, including a ClusterNetworkPolicy that fails closed (in force with rejections, enforced as
 * its fail-closed reading); not an object the validation refused.
 */
class StoredObjectsTest {

    private final ClusterState state = new ClusterState();

    private boolean refused(Resource resource) {
        ResourceEvent event = ResourceEvent.added(resource);
        List<Rejection> rejections = state.apply(event).rejections();
        return CompilerLoop.refused(event, rejections, state);
    }

    private static ClusterNetworkPolicyInfo denyFrom(String tier, IngressPeer peer) {
        return new ClusterNetworkPolicyInfo("guard", tier, 10, new Subject(LabelSelectorSpec.ofLabels(Map.of()), null),
                List.of(new IngressRule(null, "Deny", List.of(peer), null)), null);
    }

    @Test
    void aClusterNetworkPolicyFailingClosedIsKeptAndAnInvalidOneIsNot() {
        ClusterNetworkPolicyInfo failingClosed = denyFrom("Admin", new IngressPeer(null, null));
        assertFalse(refused(failingClosed), "in force with its fail-closed reading: " + state.rejections());
        assertEquals(1, state.rejections().size());
        assertTrue(refused(denyFrom("Tenant", new IngressPeer(LabelSelectorSpec.ofLabels(Map.of()), null))));
        assertTrue(state.inForce(failingClosed), "the last version in force stays");
    }

    @Test
    void validObjectsAndNamespacesWithRejectionsAreKeptAndAnInvalidNetworkPolicyIsNot() {
        assertFalse(refused(denyFrom("Baseline", new IngressPeer(LabelSelectorSpec.ofLabels(Map.of()), null))));
        assertFalse(refused(new NamespaceInfo("a", Map.of(), Map.of(NamespaceInfo.ALPHA_ISOLATION, "maybe"))));
        assertTrue(refused(new NetworkPolicyInfo("a", "bad", LabelSelectorSpec.ofLabels(Map.of()), List.of("Sideways"),
                null, null)));
    }
}
