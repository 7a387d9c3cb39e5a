package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The listener is granted exactly what it uses; nobody else gets anything from the Kubernetes API. */
class ListenerRbacContractTest {

    /**
     * THE CONTRACT. What the listener does with the Kubernetes API: informers (list, watch; get
     * for point reads) on pods, namespaces, nodes, v1 and legacy policies, and fabric8 LeaseLock
     * leader election (create, get, update on one Lease in its own namespace). The listener issue
     * (issue 3) must keep this set in sync with its code: a new informer or a status write-back
     * means a change here AND in k8s/base/core/listener/rbac.yaml.
     */
    static final Set<String> CLUSTER_GRANTS = Set.of(
            "core/pods/get", "core/pods/list", "core/pods/watch",
            "core/namespaces/get", "core/namespaces/list", "core/namespaces/watch",
            "core/nodes/get", "core/nodes/list", "core/nodes/watch",
            "networking.k8s.io/networkpolicies/get", "networking.k8s.io/networkpolicies/list",
            "networking.k8s.io/networkpolicies/watch",
            "net.alpha.kubernetes.io/networkpolicys/get", "net.alpha.kubernetes.io/networkpolicys/list",
            "net.alpha.kubernetes.io/networkpolicys/watch");

    /** Granted only in the listener's own namespace (a Role, never a ClusterRole). */
    static final Set<String> OWN_NAMESPACE_GRANTS = Set.of(
            "coordination.k8s.io/leases/create", "coordination.k8s.io/leases/get", "coordination.k8s.io/leases/update");

    static final String LISTENER = "stockade-listener";
    static final String NAMESPACE = Workloads.DEFAULT_NAMESPACE;

    private final CrossReferences.Unit unit = new CrossReferences.Unit(CrossReferenceTest.defaultInstall());

    @Test
    void theListenerIsGrantedExactlyTheContractClusterWide() {
        assertEquals(new TreeSet<>(CLUSTER_GRANTS), grants(LISTENER, true));
    }

    @Test
    void leaseAccessIsGrantedInTheListenersOwnNamespaceOnly() {
        assertEquals(new TreeSet<>(OWN_NAMESPACE_GRANTS), grants(LISTENER, false));
    }

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
        assertEquals(Set.of(LISTENER), bound);
    }

    @Test
    void everyOtherServiceAccountRefusesToMountAToken() {
        for (ServiceAccount sa : unit.of(ServiceAccount.class)) {
            boolean listener = sa.getMetadata().getName().equals(LISTENER);
            assertEquals(listener, !Boolean.FALSE.equals(sa.getAutomountServiceAccountToken()),
                    "automountServiceAccountToken of " + sa.getMetadata().getName());
        }
        for (Workloads.Workload w : unit.workloads) {
            boolean listener = LISTENER.equals(w.template().getSpec().getServiceAccountName());
            assertEquals(listener, !Boolean.FALSE.equals(w.template().getSpec().getAutomountServiceAccountToken()),
                    "automountServiceAccountToken of " + w.id());
        }
    }

    private static void subjects(List<Subject> subjects, Set<String> out) {
        Manifests.nullSafe(subjects).forEach(s -> out.add(s.getName()));
    }

    /** "group/resource/verb" granted to a ServiceAccount, through ClusterRoleBindings or through RoleBindings. */
    private Set<String> grants(String serviceAccount, boolean clusterWide) {
        Set<String> out = new TreeSet<>();
        if (clusterWide) {
            for (ClusterRoleBinding b : unit.of(ClusterRoleBinding.class)) {
                if (binds(b.getSubjects(), serviceAccount)) {
                    rulesOf(b.getRoleRef(), null).forEach(r -> expand(r, out));
                }
            }
        } else {
            for (RoleBinding b : unit.of(RoleBinding.class)) {
                if (binds(b.getSubjects(), serviceAccount) && Workloads.namespace(b).equals(NAMESPACE)) {
                    rulesOf(b.getRoleRef(), NAMESPACE).forEach(r -> expand(r, out));
                }
            }
        }
        return out;
    }

    private static boolean binds(List<Subject> subjects, String sa) {
        return Manifests.nullSafe(subjects).stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && sa.equals(s.getName()) && NAMESPACE.equals(s.getNamespace()));
    }

    private List<PolicyRule> rulesOf(RoleRef ref, String namespace) {
        if ("ClusterRole".equals(ref.getKind())) {
            return unit.of(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(ref.getName()))
                    .flatMap(r -> Manifests.nullSafe(r.getRules()).stream()).toList();
        }
        return unit.of(Role.class).stream().filter(r -> r.getMetadata().getName().equals(ref.getName())
                && Workloads.namespace(r).equals(namespace))
                .flatMap(r -> Manifests.nullSafe(r.getRules()).stream()).toList();
    }

    private static void expand(PolicyRule r, Set<String> out) {
        for (String g : r.getApiGroups()) {
            for (String res : r.getResources()) {
                for (String verb : r.getVerbs()) {
                    out.add((g.isEmpty() ? "core" : g) + "/" + res + "/" + verb);
                }
            }
        }
    }
}
