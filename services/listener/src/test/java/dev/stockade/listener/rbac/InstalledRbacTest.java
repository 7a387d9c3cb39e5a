package dev.stockade.listener.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an install grants the listener, read from kustomizations as kustomize would render them. */
class InstalledRbacTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: stockade-listener, namespace: sys}
            spec:
              template:
                spec:
                  serviceAccountName: listener-sa
                  containers:
                  - name: listener
                    env:
                    - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                    - {name: STOCKADE_LEADER_ELECTION_LEASE_NAME, value: the-lease}
            """;
    private static final String RBAC = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            rules:
            - {apiGroups: [""], resources: [pods, nodes], verbs: [list, watch]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: reader}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
            subjects: [{kind: ServiceAccount, name: listener-sa, namespace: sys}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: lease, namespace: sys}
            rules:
            - {apiGroups: [coordination.k8s.io], resources: [leases], resourceNames: [the-lease], verbs: [get, update]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: lease, namespace: sys}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: lease}
            subjects: [{kind: Group, name: "system:serviceaccounts:sys"}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: someone-else}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
            subjects: [{kind: ServiceAccount, name: listener-sa, namespace: elsewhere}]
            """;

    @TempDir
    Path k8s;

    private void write(String file, String text) throws IOException {
        Files.createDirectories(k8s.resolve(file).getParent());
        Files.writeString(k8s.resolve(file), text);
    }

    private void base() throws IOException {
        write("base/kustomization.yaml", "resources: [deployment.yaml, rbac.yaml]\n");
        write("base/deployment.yaml", DEPLOYMENT);
        write("base/rbac.yaml", RBAC);
    }

    @Test
    void everyInstallRunningTheListenerIsReadWithTheGrantsBoundToItsServiceAccountInItsScope() throws IOException {
        base();
        write("kustomization.yaml", "resources: [base]\n");
        write("overlay/kustomization.yaml", "resources: [../base]\nimages: [{name: x, newTag: y}]\n");
        write("other/kustomization.yaml", "resources: []\n");
        List<InstalledRbac.Install> installs = InstalledRbac.installs(k8s);
        assertEquals(List.of(".", "overlay"), installs.stream().map(InstalledRbac.Install::kustomization).toList());
        InstalledRbac.Install install = installs.get(0);
        assertEquals(List.of("sys", "listener-sa", "the-lease"),
                List.of(install.namespace(), install.serviceAccount(), install.leaseName()));
        assertEquals(Set.of(new Permission("list", "", "pods", null, null), new Permission("watch", "", "pods", null, null),
                new Permission("list", "", "nodes", null, null), new Permission("watch", "", "nodes", null, null),
                new Permission("get", "coordination.k8s.io", "leases", "sys", "the-lease"),
                new Permission("update", "coordination.k8s.io", "leases", "sys", "the-lease")), install.grants());
    }

    @Test
    void aPatchThatMayChangeRbacIsRefusedAsNotModelled() throws IOException {
        base();
        write("kustomization.yaml", """
                resources: [base]
                patches:
                - target: {kind: ClusterRole, name: reader}
                  patch: '[{"op": "add", "path": "/rules/0/verbs/-", "value": "get"}]'
                """);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InstalledRbac.installs(k8s));
        assertTrue(e.getMessage().contains("not modelled"), e.getMessage());
    }

    @Test
    void aNamespaceOverABindingsSubjectInAnotherNamespaceIsRefusedAsNotModelled() throws IOException {
        base();
        write("kustomization.yaml", "resources: [base]\nnamespace: sys\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InstalledRbac.installs(k8s));
        assertTrue(e.getMessage().contains("over a subject in elsewhere"), e.getMessage());
    }

    @Test
    void aNamePrefixOverRbacIsRefusedAsNotModelled() throws IOException {
        base();
        write("kustomization.yaml", "resources: [base]\nnamePrefix: x-\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InstalledRbac.installs(k8s));
        assertTrue(e.getMessage().contains("field namePrefix"), e.getMessage());
    }
}
