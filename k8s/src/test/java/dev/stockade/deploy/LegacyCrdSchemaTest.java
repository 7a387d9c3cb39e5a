package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The legacy CRD serves the 2016 API at its 2016 names and accepts the 2016 example exactly. */
class LegacyCrdSchemaTest {

    static final Path CRD = Repo.k8s().resolve("base/core/crd/networkpolicys.net.alpha.kubernetes.io.yaml");

    /** Verbatim from ../shared/design.md ("The original 2016 API"), itself from the 2016 blog post. */
    static final String EXAMPLE_2016 = """
            apiVersion: net.alpha.kubernetes.io/v1alpha1
            kind: NetworkPolicy
            metadata: {name: pol1, namespace: tenant-a}
            spec:
              podSelector: {segment: backend}
              allowIncoming:
                from:
                - pods: {segment: frontend}
                toPorts:
                - {port: 80, protocol: TCP}
            """;

    private final JsonNode crdTree = StrictYaml.documents(CRD).get(0);
    private final CustomResourceDefinition crd = StrictYaml.bind(crdTree, CustomResourceDefinition.class);
    private final JsonNode schema = crdTree.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");

    @Test
    void theCrdServesTheLegacyApiUnderThe2016Names() {
        var spec = crd.getSpec();
        assertEquals("networkpolicys.net.alpha.kubernetes.io", crd.getMetadata().getName());
        assertEquals("net.alpha.kubernetes.io", spec.getGroup());
        assertEquals("Namespaced", spec.getScope());
        assertEquals("networkpolicys", spec.getNames().getPlural());
        assertEquals("NetworkPolicy", spec.getNames().getKind());
        assertEquals(1, spec.getVersions().size());
        CustomResourceDefinitionVersion v = spec.getVersions().get(0);
        assertEquals("v1alpha1", v.getName());
        assertTrue(v.getServed() && v.getStorage());
    }

    @Test
    void theProtectedGroupCarriesTheApiApprovalAnnotationTheApiServerDemands() {
        String value = crd.getMetadata().getAnnotations().get("api-approved.kubernetes.io");
        assertTrue(value != null && (value.startsWith("unapproved") || value.startsWith("https://")), String.valueOf(value));
    }

    @Test
    void theSchemaIsStructural() {
        assertEquals(List.of(), StructuralSchema.structuralViolations(schema));
    }

    @Test
    void the2016ExampleIsAcceptedExactlyAsWritten() {
        assertEquals(List.of(), StructuralSchema.validate(schema, StrictYaml.documents(EXAMPLE_2016).get(0)));
    }

    @Test
    void allowIncomingMayAlsoBeAListOfRulesWithNamedPortsAndNamespaces() {
        assertEquals(List.of(), StructuralSchema.validate(schema, StrictYaml.documents("""
                apiVersion: net.alpha.kubernetes.io/v1alpha1
                kind: NetworkPolicy
                metadata: {name: pol2, namespace: tenant-a}
                spec:
                  podSelector: {}
                  allowIncoming:
                  - from: [{namespaces: {team: ops}}, {pods: {role: probe}, namespaces: {team: ops}}]
                    toPorts: [{port: http}, {protocol: UDP}]
                  - toPorts: [{port: 53, protocol: UDP}]
                """).get(0)));
    }

    @Test
    void aPolicyWithoutSpecOrRulesIsAccepted() {
        assertEquals(List.of(), StructuralSchema.validate(schema, StrictYaml.documents("""
                apiVersion: net.alpha.kubernetes.io/v1alpha1
                kind: NetworkPolicy
                metadata: {name: empty, namespace: tenant-a}
                spec: {}
                """).get(0)));
    }

    @Test
    void aPodSelectorWithANonStringValueIsRejected() {
        List<String> errors = StructuralSchema.validate(schema, StrictYaml.documents("""
                apiVersion: net.alpha.kubernetes.io/v1alpha1
                kind: NetworkPolicy
                metadata: {name: bad, namespace: tenant-a}
                spec:
                  podSelector: {tier: 1}
                """).get(0));
        assertEquals(List.of(".spec.podSelector.tier: must be a string"), errors);
    }

    @Test
    void anUnknownSpecFieldIsReportedAsPruned() {
        List<String> errors = StructuralSchema.validate(schema, StrictYaml.documents("""
                apiVersion: net.alpha.kubernetes.io/v1alpha1
                kind: NetworkPolicy
                metadata: {name: bad, namespace: tenant-a}
                spec:
                  podSelector: {}
                  allowOutgoing: {}
                """).get(0));
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("allowOutgoing"), errors::toString);
    }

    @Test
    void everyLegacyPolicyInTheExamplesIsAcceptedExactlyAsWritten() {
        List<String> errors = new ArrayList<>();
        int seen = 0;
        for (Path file : Manifests.allManifestFiles()) {
            for (Manifests.Doc doc : Manifests.docs(file)) {
                if (Kinds.LEGACY_POLICY.equals(doc.key())) {
                    seen++;
                    StructuralSchema.validate(schema, doc.tree()).forEach(e -> errors.add(doc.where() + ": " + e));
                }
            }
        }
        assertTrue(seen > 0, "no legacy policy in k8s/examples");
        assertEquals(List.of(), errors);
    }

    @Test
    void theSchemaCheckerItselfRejectsAStructuralMistake() {
        JsonNode bad = StrictYaml.documents("""
                type: object
                properties:
                  spec:
                    properties:
                      x: {type: string}
                """).get(0);
        assertFalse(StructuralSchema.structuralViolations(bad).isEmpty());
    }
}
