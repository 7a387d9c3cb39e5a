package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The RBAC baseline every install keeps, whatever the services do: no wildcard and no
 * non-resource URL in any rule, no ServiceAccount but the listener's, the dispatchers' and the agents' bound to
 * any role, the dispatchers' grants exactly TokenReviewAuthenticator's two calls (create tokenreviews;
 * get pods in the agents' namespace), and every other ServiceAccount and workload refusing to mount a token. Which verbs the listener
 * is granted is not pinned here: {@code ListenerRbacContractTest} in services/listener records
 * every request the listener makes against a mock API server and checks that the listener's
 * rules allow exactly those.
 */
class RbacBaselineTest {

    static final String LISTENER = "stockade-listener";
    static final String DISPATCHER = "stockade-dispatcher";
    static final String AGENT = "stockade-agent";

    private final CrossReferences.Unit unit = new CrossReferences.Unit(CrossReferenceTest.defaultInstall());

    @Test
    void noRuleUsesAWildcard() {
        List<PolicyRule> rules = new ArrayList<>();
        unit.of(ClusterRole.class).forEach(r -> rules.addAll(Manifests.nullSafe(r.getRules())));
        unit.of(Role.class).forEach(r -> rules.addAll(Manifests.nullSafe(r.getRules())));
        for (PolicyRule r : rules) {
            List<String> all = new ArrayList<>(r.getApiGroups());
            all.addAll(r.getResources());
            all.addAll(r.getVerbs());
            assertFalse(all.contains("*"), "wildcard in " + r);
            assertEquals(List.of(), Manifests.nullSafe(r.getNonResourceURLs()), "nonResourceURLs in " + r);
        }
    }

    @Test
    void noServiceAccountButTheListenersIsBoundToAnyRole() {
        Set<String> bound = new TreeSet<>();
        unit.of(RoleBinding.class).forEach(b -> subjects(b.getSubjects(), bound));
        unit.of(ClusterRoleBinding.class).forEach(b -> subjects(b.getSubjects(), bound));
        assertEquals(Set.of(LISTENER, DISPATCHER, AGENT), bound);
    }

    @Test
    void theDispatchersMayReviewTokensAndReadPodsOfTheirNamespaceAndNothingElse() {
        List<String> granted = new ArrayList<>();
        unit.of(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(DISPATCHER))
                .forEach(r -> r.getRules().forEach(rule -> granted.add("cluster " + rule.getApiGroups() + " "
                        + rule.getResources() + " " + rule.getVerbs())));
        unit.of(Role.class).stream().filter(r -> r.getMetadata().getName().equals(DISPATCHER))
                .forEach(r -> r.getRules().forEach(rule -> granted.add(Workloads.namespace(r) + " "
                        + rule.getApiGroups() + " " + rule.getResources() + " " + rule.getVerbs())));
        assertEquals(List.of("cluster [authentication.k8s.io] [tokenreviews] [create]", "stockade [] [pods] [get]"), granted);
    }

    /** The node taint (issue 13): get and patch of Nodes, nothing else (AgentRbacContractTest in services/agent). */
    @Test
    void theAgentsMayGetAndPatchNodesAndNothingElse() {
        List<String> granted = new ArrayList<>();
        unit.of(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(AGENT))
                .forEach(r -> r.getRules().forEach(rule -> granted.add("cluster " + rule.getApiGroups() + " "
                        + rule.getResources() + " " + rule.getVerbs())));
        unit.of(Role.class).stream().filter(r -> r.getMetadata().getName().equals(AGENT))
                .forEach(r -> r.getRules().forEach(rule -> granted.add(Workloads.namespace(r) + " " + rule)));
        assertEquals(List.of("cluster [] [nodes] [get, patch]"), granted);
    }

    @Test
    void everyOtherServiceAccountRefusesToMountAToken() {
        for (ServiceAccount sa : unit.of(ServiceAccount.class)) {
            boolean listener = sa.getMetadata().getName().equals(LISTENER);
            assertEquals(listener, !Boolean.FALSE.equals(sa.getAutomountServiceAccountToken()),
                    "automountServiceAccountToken of " + sa.getMetadata().getName());
        }
        for (Workloads.Workload w : unit.workloads) {
            String account = w.template().getSpec().getServiceAccountName();
            boolean callsTheApi = LISTENER.equals(account) || DISPATCHER.equals(account) || AGENT.equals(account);
            assertEquals(callsTheApi, !Boolean.FALSE.equals(w.template().getSpec().getAutomountServiceAccountToken()),
                    "automountServiceAccountToken of " + w.id());
        }
    }

    private static void subjects(List<Subject> subjects, Set<String> out) {
        Manifests.nullSafe(subjects).forEach(s -> out.add(s.getName()));
    }
}
