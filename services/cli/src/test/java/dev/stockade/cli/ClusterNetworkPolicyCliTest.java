package dev.stockade.cli;

import static dev.stockade.cli.CliContractTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code matrix} and {@code explain} read ClusterNetworkPolicies from manifests and walk the tiers
 * (Admin, NetworkPolicy, Baseline, default); {@code compile} compiles them into the node rule sets.
 * Fixture: an Admin Deny protecting {@code monitoring}, an Admin Pass from {@code tenant-a}
 * into {@code tenant-b}, a Baseline Deny isolating {@code tenant-b}, and a v1 NetworkPolicy in
 * {@code tenant-b} letting monitoring reach {@code web}.
 */
class ClusterNetworkPolicyCliTest {

    private static final String CLUSTER = """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Node, metadata: {name: node-1}}
            - {apiVersion: v1, kind: Namespace, metadata: {name: monitoring}}
            - {apiVersion: v1, kind: Namespace, metadata: {name: tenant-a}}
            - {apiVersion: v1, kind: Namespace, metadata: {name: tenant-b}}
            - apiVersion: v1
              kind: Pod
              metadata: {name: prom, namespace: monitoring, labels: {app: prometheus}}
              spec: {nodeName: node-1, containers: [{name: c, image: x, ports: [{name: http, containerPort: 80}]}]}
              status: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}]}
            - apiVersion: v1
              kind: Pod
              metadata: {name: web, namespace: tenant-a, labels: {app: web}}
              spec: {nodeName: node-1, containers: [{name: c, image: x, ports: [{name: http, containerPort: 80}]}]}
              status: {podIP: 10.0.0.2, podIPs: [{ip: 10.0.0.2}]}
            - apiVersion: v1
              kind: Pod
              metadata: {name: web, namespace: tenant-b, labels: {app: web}}
              spec: {nodeName: node-1, containers: [{name: c, image: x, ports: [{name: http, containerPort: 80}]}]}
              status: {podIP: 10.0.0.3, podIPs: [{ip: 10.0.0.3}]}
            - apiVersion: v1
              kind: Pod
              metadata: {name: db, namespace: tenant-b, labels: {app: db}}
              spec: {nodeName: node-1, containers: [{name: c, image: x, ports: [{name: pg, containerPort: 80}]}]}
              status: {podIP: 10.0.0.4, podIPs: [{ip: 10.0.0.4}]}
            """;

    private static final String POLICIES = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: deny-monitoring}
            spec:
              tier: Admin
              priority: 10
              subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}
              ingress:
              - action: Deny
                from:
                - namespaces:
                    matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [monitoring]}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: pass-tenant-a}
            spec:
              tier: Admin
              priority: 20
              subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: tenant-b}}}
              ingress:
              - name: from-a
                action: Pass
                from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: tenant-a}}}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: default-isolate}
            spec:
              tier: Baseline
              priority: 100
              subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: tenant-b}}}
              ingress:
              - action: Deny
                from: [{namespaces: {}}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-monitoring, namespace: tenant-b}
            spec:
              podSelector: {matchLabels: {app: web}}
              policyTypes: [Ingress]
              ingress:
              - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
            """;

    @TempDir
    Path manifests;

    @BeforeEach
    void writeFixture() throws IOException {
        Files.writeString(manifests.resolve("10-cluster.yaml"), CLUSTER);
        Files.writeString(manifests.resolve("20-policies.yaml"), POLICIES);
    }

    private Set<String> matrix() throws IOException {
        CliContractTest.Run run = run("matrix", "--manifests", manifests.toString(), "--probe", "80/TCP");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("note: matrix evaluates the ClusterNetworkPolicies (deny-monitoring, pass-tenant-a,"
                + " default-isolate)"), run.err());
        Set<String> cells = new TreeSet<>();
        new ObjectMapper().readTree(run.out()).path("verdicts").forEach(v -> cells.add(v.path("from").asText() + "->"
                + v.path("to").asText() + "=" + v.path("allowed").asBoolean()));
        return cells;
    }

    @Test
    void matrixWalksAdminNetworkPolicyAndBaselineTiers() throws IOException {
        Set<String> cells = matrix();
        assertEquals(16, cells.size());
        assertTrue(cells.containsAll(Set.of(
                "tenant-a/web->monitoring/prom=false",   // Admin Deny
                "tenant-b/db->monitoring/prom=false",    // Admin Deny
                "monitoring/prom->tenant-a/web=true",    // no tier decides: default allow
                "tenant-a/web->tenant-b/db=false",       // Admin Pass, not isolated, Baseline Deny
                "monitoring/prom->tenant-b/db=false",    // no Admin rule, not isolated, Baseline Deny
                "monitoring/prom->tenant-b/web=true",    // NetworkPolicy isolates and allows: final
                "tenant-a/web->tenant-b/web=false",      // Admin Pass, NetworkPolicy isolates, no rule allows
                "tenant-b/db->tenant-b/db=true",         // own pod IP: not subject to ClusterNetworkPolicy
                "tenant-b/db->tenant-a/web=true")), cells.toString());
    }

    @Test
    void explainPrintsTheTierWalkOfEachDirection() {
        CliContractTest.Run run = run("explain", "--manifests", manifests.toString(), "--from", "tenant-a/web",
                "--to", "tenant-b/db", "--probe", "80/TCP");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("""
                tenant-a/web -> tenant-b/db 80/TCP: DENIED
                  egress of tenant-a/web: [Admin] no rule matches → [NetworkPolicy] not isolated → [Baseline] no rule matches → [Default] allow
                  ingress of tenant-b/db: [Admin] pass-tenant-a (priority 20) ingress[0] "from-a": Pass → [NetworkPolicy] not isolated → [Baseline] default-isolate (priority 100) ingress[0]: Deny
                """, run.out());
    }

    @Test
    void explainShowsAnAdminDenyAndAFinalNetworkPolicyTier() throws IOException {
        CliContractTest.Run deny = run("explain", "--manifests", manifests.toString(), "--from", "tenant-a/web",
                "--to", "monitoring/prom", "--probe", "80/TCP");
        assertTrue(deny.out().contains("ingress of monitoring/prom: [Admin] deny-monitoring (priority 10) ingress[0]: Deny\n"),
                deny.out());
        CliContractTest.Run json = run("explain", "--manifests", manifests.toString(), "--from", "monitoring/prom",
                "--to", "tenant-b/web", "--probe", "80/TCP", "-o", "json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode view = new ObjectMapper().readTree(json.out());
        assertTrue(view.path("allowed").asBoolean(), json.out());
        assertEquals("[Admin] no rule matches → [NetworkPolicy] isolated by NetworkPolicy tenant-b/allow-monitoring: "
                + "allowed by NetworkPolicy tenant-b/allow-monitoring ingress[0]: Accept",
                view.path("ingress").path("walk").asText());
    }

    @Test
    void compileCompilesClusterNetworkPoliciesIntoTheRuleSets() {
        CliContractTest.Run run = run("compile", "--manifests", manifests.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(!run.err().contains("ClusterNetworkPolicies"), "no note: they are compiled and enforced\n" + run.err());
        for (String policy : new String[] {"deny-monitoring", "pass-tenant-a", "default-isolate"}) {
            assertTrue(run.out().contains(policy), policy + " is compiled:\n" + run.out());
        }
        assertTrue(run.out().contains("AdminClusterNetworkPolicy") && run.out().contains("BaselineClusterNetworkPolicy"),
                run.out());
    }

    @Test
    void anInvalidClusterNetworkPolicyIsNamedWithItsFieldAndLeftOut() throws IOException {
        Files.writeString(manifests.resolve("30-bad.yaml"), """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: bad-priority}
                spec:
                  tier: Admin
                  priority: 5000
                  subject: {namespaces: {}}
                  ingress: [{action: Deny, from: [{namespaces: {}}]}]
                """);
        CliContractTest.Run run = run("explain", "--manifests", manifests.toString(), "--from", "tenant-a/web",
                "--to", "tenant-b/db", "--probe", "80/TCP");
        assertEquals(ClusterOptions.INPUT_LEFT_OUT, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("! ClusterNetworkPolicy bad-priority was rejected at spec.priority: 5000 is outside"
                + " 0-1000 — the verdict below ignores it\n"), run.out());
        assertTrue(run.out().contains(": DENIED"), run.out());
    }
}
