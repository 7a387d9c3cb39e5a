package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The legacy CRD serves the 2016 API at its 2016 names, with a fully typed structural schema:
 * the 2016 example and every 2016 policy in the examples are admitted exactly as written, and a
 * misspelt field or a bad value is refused with the field named. Each sample goes through two
 * checkers: {@link StructuralSchema} (our model of the API server's pruning and validation, CEL
 * included) and {@link JsonSchemaTwin} (the same schema checked by a JSON Schema library).
 */
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
    private final JsonSchemaTwin twin = new JsonSchemaTwin(schema);

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
    void everyNodeIsTypedAndNothingInTheCrdPreservesUnknownFields() {
        assertEquals(List.of(), StructuralSchema.fullyTypedViolations(schema));
        List<String> preserving = new ArrayList<>();
        keysNamed(crdTree, "x-kubernetes-preserve-unknown-fields", "", preserving);
        assertEquals(List.of(), preserving);
        assertEquals("object", schema.at("/properties/spec/properties/allowIncoming/type").asText());
    }

    @Test
    void the2016ExampleIsAdmittedExactlyAsWritten() {
        assertAdmitted(StrictYaml.documents(EXAMPLE_2016).get(0));
    }

    @Test
    void everyLegacyPolicyInTheExamplesIsAdmittedExactlyAsWritten() {
        int seen = 0;
        for (Path file : Manifests.allManifestFiles()) {
            for (Manifests.Doc doc : Manifests.docs(file)) {
                if (Kinds.LEGACY_POLICY.equals(doc.key())) {
                    seen++;
                    assertEquals(List.of(), StructuralSchema.validate(schema, doc.tree()), doc.where());
                    assertEquals(List.of(), twin.validate(doc.tree()), doc.where());
                }
            }
        }
        assertTrue(seen >= 2, "expected the 2016 policies of k8s/examples/tenant-a and namespace-selector, saw " + seen);
    }

    /** Every point of the 2016 API (../shared/design.md; services/kube-adapter's LegacyApiSemanticsTest), one rule each. */
    @TestFactory
    Stream<DynamicTest> everyShapeOfThe2016ApiIsAdmitted() {
        return Stream.of(
                "{}",
                "podSelector: {}",
                "podSelector: {pod: a}",
                "podSelector: {pod: a}\nallowIncoming: {}",
                "podSelector: {pod: a}\nallowIncoming: {from: [{pods: {pod: b}}], toPorts: [{port: 80}]}",
                "podSelector: {pod: a}\nallowIncoming: {from: [], toPorts: []}",
                "podSelector: {pod: a}\nallowIncoming: {toPorts: [{port: 80}]}",
                "podSelector: {pod: a}\nallowIncoming: {from: [{pods: {pod: b}}]}",
                "podSelector: {}\nallowIncoming: {toPorts: [{protocol: UDP}]}",
                "podSelector: {}\nallowIncoming: {toPorts: [{}]}",
                "podSelector: {}\nallowIncoming: {toPorts: [{port: serve-80-tcp}, {port: http, protocol: UDP}, {port: 8-a}]}",
                "podSelector: {}\nallowIncoming: {toPorts: [{port: 1, protocol: SCTP}, {port: 65535, protocol: UDP}]}",
                "podSelector: {}\nallowIncoming: {toPorts: [{port: abcdefghijklmno}]}",
                "podSelector: {}\nallowIncoming: {from: [{namespaces: {ns: y}}]}",
                "podSelector: {}\nallowIncoming: {from: [{pods: {pod: b}, namespaces: {ns: y}}, {pods: {}}, {namespaces: {}}]}")
                .map(spec -> DynamicTest.dynamicTest(spec.replace('\n', ' '), () -> assertAdmitted(policy(spec))));
    }

    /** A bad object, the field the refusal names, and what our model of the API server says. */
    record Refused(String spec, String field, List<String> errors) {
    }

    static final String UNKNOWN = ": unknown field (refused under fieldValidation=Strict, pruned under Warn)";

    static final List<Refused> REFUSED = List.of(
            new Refused("podSelector: {}\nallowIncoming: {from: [{pods: {a: b}}], toPort: [{port: 80}]}",
                    "spec.allowIncoming.toPort", List.of(".spec.allowIncoming.toPort" + UNKNOWN)),
            new Refused("podSelector: {}\nallowIncomming: {toPorts: [{port: 80}]}",
                    "spec.allowIncomming", List.of(".spec.allowIncomming" + UNKNOWN)),
            new Refused("podSelecter: {a: b}\nallowIncoming: {toPorts: [{port: 80}]}",
                    "spec.podSelecter", List.of(".spec.podSelecter" + UNKNOWN)),
            new Refused("allowIncoming: {toPorts: [{port: 70000}]}",
                    "spec.allowIncoming.toPorts[0].port",
                    List.of(".spec.allowIncoming.toPorts[0].port: 70000 is greater than the maximum 65535")),
            new Refused("allowIncoming: {toPorts: [{port: 0}]}",
                    "spec.allowIncoming.toPorts[0].port",
                    List.of(".spec.allowIncoming.toPorts[0].port: 0 is less than the minimum 1")),
            new Refused("allowIncoming: {toPorts: [{port: \"80\"}]}",
                    "spec.allowIncoming.toPorts[0].port",
                    List.of(".spec.allowIncoming.toPorts[0].port: 80 does not match ^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$")),
            new Refused("allowIncoming: {toPorts: [{port: http--alt}]}",
                    "spec.allowIncoming.toPorts[0].port",
                    List.of(".spec.allowIncoming.toPorts[0].port: http--alt does not match ^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$")),
            new Refused("allowIncoming: {toPorts: [{port: Http}]}",
                    "spec.allowIncoming.toPorts[0].port",
                    List.of(".spec.allowIncoming.toPorts[0].port: Http does not match ^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$")),
            new Refused("allowIncoming: {toPorts: [{port: abcdefghijklmnop}]}",
                    "spec.allowIncoming.toPorts[0].port",
                    List.of(".spec.allowIncoming.toPorts[0].port: abcdefghijklmnop is longer than 15 characters")),
            new Refused("allowIncoming: {toPorts: [{port: 80.5}]}",
                    "spec.allowIncoming.toPorts[0].port",
                    List.of(".spec.allowIncoming.toPorts[0].port: must be an integer or a string")),
            new Refused("allowIncoming: {toPorts: [{port: 80, protocol: ICMP}]}",
                    "spec.allowIncoming.toPorts[0].protocol",
                    List.of(".spec.allowIncoming.toPorts[0].protocol: ICMP is not one of [\"TCP\",\"UDP\",\"SCTP\"]")),
            new Refused("allowIncoming: {toPorts: [{port: 80, protocol: tcp}]}",
                    "spec.allowIncoming.toPorts[0].protocol",
                    List.of(".spec.allowIncoming.toPorts[0].protocol: tcp is not one of [\"TCP\",\"UDP\",\"SCTP\"]")),
            new Refused("allowIncoming: {toPorts: [{prot: UDP}]}",
                    "spec.allowIncoming.toPorts[0].prot", List.of(".spec.allowIncoming.toPorts[0].prot" + UNKNOWN)),
            new Refused("allowIncoming: {from: [{pods: {a: b}, namespace: {c: d}}]}",
                    "spec.allowIncoming.from[0].namespace", List.of(".spec.allowIncoming.from[0].namespace" + UNKNOWN)),
            new Refused("allowIncoming: {from: [{podz: {a: b}}]}",
                    "spec.allowIncoming.from[0]",
                    List.of(".spec.allowIncoming.from[0].podz" + UNKNOWN,
                            ".spec.allowIncoming.from[0]: a from entry must set pods or namespaces (or both)")),
            new Refused("allowIncoming: {from: [{}]}",
                    "spec.allowIncoming.from[0]",
                    List.of(".spec.allowIncoming.from[0]: a from entry must set pods or namespaces (or both)")),
            new Refused("allowIncoming: {from: {pods: {a: b}}}",
                    "spec.allowIncoming.from", List.of(".spec.allowIncoming.from: must be an array")),
            new Refused("podSelector: {tier: 1}",
                    "spec.podSelector.tier", List.of(".spec.podSelector.tier: must be a string")),
            new Refused("allowIncoming: {from: [{namespaces: {team: true}}]}",
                    "spec.allowIncoming.from[0].namespaces.team",
                    List.of(".spec.allowIncoming.from[0].namespaces.team: must be a string")),
            new Refused("podSelector: {}\nallowOutgoing: {}",
                    "spec.allowOutgoing", List.of(".spec.allowOutgoing" + UNKNOWN)));

    @TestFactory
    Stream<DynamicTest> misspeltFieldsAndBadValuesAreRefusedWithTheFieldNamed() {
        return REFUSED.stream().map(r -> DynamicTest.dynamicTest(r.field() + " <- " + r.spec().replace('\n', ' '), () -> {
            JsonNode object = policy(r.spec());
            assertEquals(r.errors(), StructuralSchema.validate(schema, object));
            List<String> library = twin.validate(object);
            assertFalse(library.isEmpty(), "the JSON Schema library admits it");
            String jsonPath = "$." + r.field();
            // networknt names an unknown property at its parent: "$.spec.allowIncoming: property 'toPort' is not defined ..."
            assertTrue(library.stream().anyMatch(m -> m.startsWith(jsonPath)
                    || (m.startsWith("$." + parent(r.field()) + ":") && m.contains("'" + last(r.field()) + "'"))),
                    () -> jsonPath + " not named in " + library);
        }));
    }

    /**
     * The 2016 API's other form, a list of rules, has no structural expression next to the object
     * form (see the CRD's header): the CRD admits the object, so a list is refused as such.
     */
    @Test
    void aListOfRulesIsRefusedAsNotAnObject() {
        JsonNode list = policy("podSelector: {}\nallowIncoming:\n- {from: [{pods: {pod: b}}], toPorts: [{port: 80}]}\n"
                + "- {from: [{namespaces: {ns: y}}], toPorts: [{port: 81, protocol: UDP}]}");
        assertEquals(List.of(".spec.allowIncoming: must be an object"), StructuralSchema.validate(schema, list));
        List<String> library = twin.validate(list);
        assertTrue(library.size() == 1 && library.get(0).startsWith("$.spec.allowIncoming:")
                && library.get(0).contains("array") && library.get(0).contains("object"), library::toString);
        // ... and its meaning fits in one policy per rule, each admitted.
        assertAdmitted(policy("podSelector: {}\nallowIncoming: {from: [{pods: {pod: b}}], toPorts: [{port: 80}]}"));
        assertAdmitted(policy("podSelector: {}\nallowIncoming: {from: [{namespaces: {ns: y}}], toPorts: [{port: 81, protocol: UDP}]}"));
    }

    /** Why the CRD's header says to split stored list-form policies before applying it. */
    @Test
    void aListStoredUnderTheSchemalessCrdWouldBeReadBackWithRulesEmptiedSoItMustBeSplitFirst() {
        JsonNode stored = policy("podSelector: {}\nallowIncoming:\n- {from: [{pods: {pod: b}}], toPorts: [{port: 80}]}");
        JsonNode readBack = StructuralSchema.prune(schema, stored);
        assertEquals("[{}]", readBack.at("/spec/allowIncoming").toString());
        assertTrue(text(CRD).contains("per rule BEFORE applying this CRD"), "the CRD's header no longer warns of it");
    }

    /** Under fieldValidation=Warn a misspelt key is dropped before validation; the CEL rule still refuses the entry. */
    @Test
    void aMisspeltFromKeyIsRefusedEvenAfterTheApiServerDropsIt() {
        JsonNode pruned = StructuralSchema.prune(schema, policy("allowIncoming: {from: [{podz: {a: b}}]}"));
        assertEquals("{\"from\":[{}]}", pruned.at("/spec/allowIncoming").toString());
        assertEquals(List.of(".spec.allowIncoming.from[0]: a from entry must set pods or namespaces (or both)"),
                StructuralSchema.validate(schema, pruned));
        assertFalse(twin.validate(pruned).isEmpty());
    }

    @Test
    void theSchemaCheckersThemselvesRejectMistakes() {
        JsonNode untyped = StrictYaml.documents("""
                type: object
                properties:
                  spec:
                    properties:
                      x: {type: string}
                """).get(0);
        assertFalse(StructuralSchema.structuralViolations(untyped).isEmpty());
        JsonNode preserving = StrictYaml.documents("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      rules: {x-kubernetes-preserve-unknown-fields: true}
                      open: {type: object}
                      checked:
                        type: object
                        properties: {a: {type: string}}
                        x-kubernetes-validations: [{rule: "size(self.a) > 1", message: short}]
                """).get(0);
        assertEquals(List.of(".spec.rules: x-kubernetes-preserve-unknown-fields keeps unknown fields",
                ".spec.rules: no type",
                ".spec.open: an object that declares no fields (the API server would drop all of them)",
                ".spec.checked: CEL rule this checker cannot evaluate: size(self.a) > 1"),
                StructuralSchema.fullyTypedViolations(preserving));
    }

    private void assertAdmitted(JsonNode object) {
        assertEquals(List.of(), StructuralSchema.validate(schema, object));
        assertEquals(List.of(), twin.validate(object));
        assertEquals(object, StructuralSchema.prune(schema, object), "the API server would drop part of it");
    }

    private static JsonNode policy(String specYaml) {
        String indented = "  " + specYaml.replace("\n", "\n  ");
        return StrictYaml.documents("""
                apiVersion: net.alpha.kubernetes.io/v1alpha1
                kind: NetworkPolicy
                metadata: {name: pol, namespace: x}
                spec:
                """ + indented + "\n").get(0);
    }

    private static void keysNamed(JsonNode node, String key, String path, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(key)) {
                    out.add(path + "." + key);
                }
                keysNamed(e.getValue(), key, path + "." + e.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                keysNamed(node.get(i), key, path + "[" + i + "]", out);
            }
        }
    }

    private static String last(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }

    private static String parent(String field) {
        return field.substring(0, Math.max(0, field.lastIndexOf('.')));
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
