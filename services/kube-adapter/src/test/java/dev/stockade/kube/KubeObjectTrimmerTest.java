package dev.stockade.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class KubeObjectTrimmerTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final KubeObjectTrimmer trimmer = new KubeObjectTrimmer();
    private final KubeObjectConverter converter = new KubeObjectConverter();

    @Test
    void aPodKeepsIdentityLabelsNodeNamedPortsAndAddressesOnly() throws Exception {
        JsonNode pod = JSON.readTree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"tenant-a",
                  "uid":"u-1","resourceVersion":"42","generation":3,"creationTimestamp":"2026-01-01T00:00:00Z",
                  "labels":{"segment":"frontend","app":"web"},
                  "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{...}","other":"x"},
                  "ownerReferences":[{"kind":"ReplicaSet","name":"web"}],"managedFields":[{"manager":"kubectl"}]},
                 "spec":{"nodeName":"node-a1","serviceAccountName":"default","volumes":[{"name":"v"}],
                  "containers":[{"name":"web","image":"nginx","env":[{"name":"PASSWORD","value":"hunter2"}],
                    "ports":[{"name":"http","containerPort":80,"protocol":"TCP","hostPort":8080}]},
                   {"name":"sidecar","image":"envoy"}]},
                 "status":{"phase":"Running","podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"}],"hostIP":"192.0.2.1",
                  "conditions":[{"type":"Ready","status":"True"}]}}""");
        JsonNode expected = JSON.readTree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"tenant-a",
                  "labels":{"app":"web","segment":"frontend"},"resourceVersion":"42"},
                 "spec":{"nodeName":"node-a1","containers":[{"ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]}]},
                 "status":{"phase":"Running","podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"}]}}""");
        assertEquals(expected, trimmer.trim(pod).orElseThrow());
        assertEquals(converter.convert(pod), converter.convert(trimmer.trim(pod).orElseThrow()));
    }

    @Test
    void aNamespaceKeepsOnlyTheTwoIsolationAnnotations() throws Exception {
        JsonNode namespace = JSON.readTree("""
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"tenant-a","resourceVersion":"7",
                  "annotations":{"net.beta.kubernetes.io/network-policy":"{\\"ingress\\":{\\"isolation\\":\\"DefaultDeny\\"}}",
                   "net.alpha.kubernetes.io/network-isolation":"on","team":"a"}},
                 "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""");
        JsonNode trimmed = trimmer.trim(namespace).orElseThrow();
        assertEquals(List.of("net.alpha.kubernetes.io/network-isolation", "net.beta.kubernetes.io/network-policy"),
                fieldNames(trimmed.path("metadata").path("annotations")));
        assertTrue(trimmed.path("spec").isMissingNode());
        assertTrue(trimmed.path("status").isMissingNode());
    }

    @Test
    void aNodeKeepsMetadataOnlyAndAPolicyKeepsItsWholeSpec() throws Exception {
        JsonNode node = JSON.readTree("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"pool":"a"}},
                 "spec":{"podCIDR":"10.0.1.0/24"},"status":{"capacity":{"cpu":"4"}}}""");
        assertEquals(JSON.readTree("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"pool":"a"}}}"""),
                trimmer.trim(node).orElseThrow());
        JsonNode policy = JSON.readTree("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"p","namespace":"x"},
                 "spec":{"podSelector":{},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{}}]}]},
                 "status":{}}""");
        assertEquals(policy.path("spec"), trimmer.trim(policy).orElseThrow().path("spec"));
        assertTrue(trimmer.trim(policy).orElseThrow().path("status").isMissingNode());
    }

    @Test
    void kindsStockadeDoesNotReadTrimToNothing() throws Exception {
        assertTrue(trimmer.trim(JSON.readTree("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}}""")).isEmpty());
        assertTrue(trimmer.trim(JSON.readTree("""
                {"apiVersion":"apps/v1","kind":"Pod","metadata":{"name":"odd"}}""")).isEmpty());
    }

    @Test
    void labelsComeOutSortedSoEqualObjectsAreEqualBytes() throws Exception {
        JsonNode a = JSON.readTree("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n","labels":{"b":"2","a":"1"}}}""");
        JsonNode b = JSON.readTree("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n","labels":{"a":"1","b":"2"}}}""");
        assertEquals(JSON.writeValueAsString(trimmer.trim(a).orElseThrow()),
                JSON.writeValueAsString(trimmer.trim(b).orElseThrow()));
    }

    /** The contract: every example and corpus object converts to the same record once trimmed. */
    @TestFactory
    Stream<DynamicTest> everyCorpusObjectConvertsToTheSameCoreRecordOnceTrimmed() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        Map<String, Integer> filesPerRoot = new TreeMap<>();
        for (Corpus.File file : Corpus.files()) {
            List<JsonNode> objects = Corpus.objectsOf(file.path());
            filesPerRoot.merge(file.root().name(), 1, Integer::sum);
            tests.add(DynamicTest.dynamicTest(file.label() + " (" + objects.size() + " objects)", () -> {
                assertTrue(!objects.isEmpty(), "no object read");
                for (JsonNode object : objects) {
                    String what = object.path("kind").asText() + " " + object.path("metadata").path("name");
                    var trimmed = trimmer.trim(object);
                    if (trimmed.isEmpty()) {
                        assertTrue(converter.convert(object).ignored().isPresent(), "only unread kinds trim to nothing: " + what);
                    } else {
                        assertEquals(converter.convert(object), converter.convert(trimmed.get()), "trimmed " + what);
                    }
                }
            }));
        }
        assertTrue(filesPerRoot.getOrDefault("examples", 0) > 0 && filesPerRoot.getOrDefault("own", 0) > 40,
                "the examples and the own cases have manifests: " + filesPerRoot);
        return tests.stream();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
