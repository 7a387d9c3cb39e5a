package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ClusterNetworkPolicy CRD is upstream's file (kubernetes-sigs/network-policy-api, standard
 * channel, v0.2.0; attribution in k8s/README.md) unchanged, it serves what the listener watches,
 * and the listener may list and watch it.
 */
class ClusterNetworkPolicyCrdTest {

    static final Path CRD = Repo.k8s().resolve("base/core/crd/clusternetworkpolicies.policy.networking.k8s.io.yaml");
    /** sha256 of config/crd/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml at upstream commit 0eec1b0. */
    static final String UPSTREAM_SHA256 = "dfef267080bbc698a7bda02514939eb462a54763ac220ce0c39972c8da934a63";

    private final JsonNode crdTree = StrictYaml.documents(CRD).get(0);
    private final CustomResourceDefinition crd = StrictYaml.bind(crdTree, CustomResourceDefinition.class);

    @Test
    void theFileIsUpstreamsByteForByte() throws IOException, NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(CRD));
        assertEquals(UPSTREAM_SHA256, HexFormat.of().formatHex(digest),
                "the vendored CRD differs from upstream's; update it as k8s/README.md says");
    }

    @Test
    void theCrdServesClusterScopedV1alpha2AsTheStandardChannelOfV020() {
        assertEquals("clusternetworkpolicies.policy.networking.k8s.io", crd.getMetadata().getName());
        assertEquals("v0.2.0", crd.getMetadata().getAnnotations().get("policy.networking.k8s.io/bundle-version"));
        assertEquals("standard", crd.getMetadata().getAnnotations().get("policy.networking.k8s.io/channel"));
        assertEquals("policy.networking.k8s.io", crd.getSpec().getGroup());
        assertEquals("Cluster", crd.getSpec().getScope());
        assertEquals("ClusterNetworkPolicy", crd.getSpec().getNames().getKind());
        assertEquals("clusternetworkpolicies", crd.getSpec().getNames().getPlural());
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertEquals(List.of("v1alpha2", true, true), List.of(version.getName(), version.getServed(), version.getStorage()));
    }

    @Test
    void theSchemaAdmitsAnAdminPolicyAndRefusesAnUnknownTier() {
        JsonSchemaTwin twin = new JsonSchemaTwin(crdTree.path("spec").path("versions").get(0).path("schema")
                .path("openAPIV3Schema"));
        JsonNode policy = StrictYaml.documents("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: deny-monitoring}
                spec:
                  tier: Admin
                  priority: 10
                  subject: {namespaces: {}}
                  ingress:
                  - action: Deny
                    from: [{namespaces: {matchLabels: {team: ops}}}]
                    protocols: [{tcp: {destinationPort: {number: 80}}}]
                """).get(0);
        assertEquals(List.of(), twin.validate(policy));
        ((com.fasterxml.jackson.databind.node.ObjectNode) policy.path("spec")).put("tier", "Tenant");
        assertFalse(twin.validate(policy).isEmpty(), "an unknown tier is refused");
    }

    @Test
    void theListenerListsAndWatchesClusterNetworkPolicies() {
        Path rbac = Repo.k8s().resolve("base/core/listener/rbac.yaml");
        ClusterRole role = StrictYaml.bind(StrictYaml.documents(rbac).get(0), ClusterRole.class);
        assertTrue(role.getRules().stream().anyMatch(rule -> rule.getApiGroups().equals(List.of("policy.networking.k8s.io"))
                && rule.getResources().equals(List.of("clusternetworkpolicies"))
                && rule.getVerbs().equals(List.of("list", "watch"))), role.getRules()::toString);
    }
}
