package dev.stockade.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.ResourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects that threw out of the decoders, or were refused without naming the field, until the fuzz
 * properties ({@code *FuzzTest}) found them: each is now one rejection of the object naming the
 * field, the same from a resources record, a watch event and a manifest file.
 */
class BadObjectRejectionTest {

    private static final String POLICY = """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web","namespace":"tenant-a"},\
            "spec":{"podSelector":{},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{}}],\
            "ports":[{"port":80}]}]}}""";

    @TempDir
    Path dir;

    private static String record(String object) {
        return "{\"schemaVersion\":1,\"resourceVersion\":\"1\",\"observedAtMillis\":1,\"object\":" + object + "}";
    }

    private static List<Rejection> fromRecord(String key, String object) {
        ResourceRecordDecoder.Decoded decoded = new ResourceRecordDecoder().decode(key,
                record(object).getBytes(StandardCharsets.UTF_8));
        assertTrue(decoded.event().isEmpty() && decoded.deadLetterReason().isEmpty(), decoded.toString());
        return decoded.rejections();
    }

    private static List<Rejection> fromEvent(String object) {
        WatchEventReader.DecodedEvent decoded = new WatchEventReader().decode(1, "{\"type\":\"ADDED\",\"object\":" + object + "}");
        assertTrue(decoded.event().isEmpty() && decoded.problem().isEmpty(), decoded.toString());
        return decoded.rejections();
    }

    private List<Rejection> fromManifest(String object) throws IOException {
        Path file = Files.writeString(dir.resolve("m.yaml"), object);
        List<ManifestReader.Decoded> read = new ManifestReader().readFile(file);
        assertEquals(1, read.size());
        assertTrue(read.get(0).unreadable().isEmpty(), read.toString());
        return read.get(0).converted().rejections();
    }

    private void assertRejectedEverywhere(String key, String object, Rejection expected) throws IOException {
        assertEquals(List.of(expected), fromRecord(key, object));
        assertEquals(List.of(expected), fromEvent(object));
        assertEquals(List.of(expected), fromManifest(object));
    }

    /** Threw NullPointerException ("name") out of ResourceRecordDecoder: the compiler's loop would have stopped. */
    @Test
    void aNamespaceWithoutANameIsRejectedNamingMetadataName() throws IOException {
        assertRejectedEverywhere("Namespace//tenant-a", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{}}",
                new Rejection(new ObjectRef(ResourceKind.NAMESPACE, "", ""), "metadata.name",
                        "required value: every object has a name"));
    }

    /** As a Namespace: a pod without a name reached ObjectRef's null check. */
    @Test
    void aPodWithoutANameIsRejectedNamingMetadataName() throws IOException {
        assertRejectedEverywhere("Pod/tenant-a/web-1", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                + "{\"namespace\":\"tenant-a\"}}", new Rejection(new ObjectRef(ResourceKind.POD, "tenant-a", ""), "",
                "malformed object: metadata.name is required"));
    }

    /** Made the whole manifest file unreadable ("Cannot invoke ObjectMeta.getName() ..."). */
    @Test
    void aNodeWithoutMetadataIsRejectedNamingMetadata() throws IOException {
        assertRejectedEverywhere("Node//node-a1", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":\"node-a1\"}",
                new Rejection(new ObjectRef(ResourceKind.NODE, "", ""), "metadata",
                        "must be an object with the name (required value)"));
    }

    /** Threw NullPointerException out of NetworkPolicyConverter (a null port, peer or rule reached it). */
    @Test
    void aNullListElementOfAPolicyIsRejectedNamingTheElement() throws IOException {
        ObjectRef web = new ObjectRef(ResourceKind.NETWORK_POLICY, "tenant-a", "web");
        for (String field : List.of("spec.ingress[0].ports[0]", "spec.ingress[0].from[0]", "spec.ingress[0]",
                "spec.policyTypes[0]")) {
            String object = switch (field) {
                case "spec.ingress[0].ports[0]" -> POLICY.replace("[{\"port\":80}]", "[null]");
                case "spec.ingress[0].from[0]" -> POLICY.replace("[{\"podSelector\":{}}]", "[null]");
                case "spec.ingress[0]" -> POLICY.replaceFirst("\"ingress\":\\[.*]}}$", "\"ingress\":[null]}}");
                default -> POLICY.replace("[\"Ingress\"]", "[null]");
            };
            assertRejectedEverywhere("NetworkPolicy/tenant-a/web", object,
                    new Rejection(web, field, "a list element may not be null"));
        }
    }

    @Test
    void aDeletionThatDoesNotSayWhatWasDeletedNamesTheFieldsItNeeds() {
        String problem = new WatchEventReader().decode(3, "{\"type\":\"DELETED\",\"object\":{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"metadata\":{}}}").problem().orElseThrow();
        assertTrue(problem.startsWith("cannot tell what was deleted: ") && problem.contains("metadata.name"), problem);
    }

    @Test
    void aListWithoutItemsSaysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("list.yaml"), "apiVersion: v1\nkind: List\nitems: {}\n");
        assertEquals("items: a List holds a list of objects, not object",
                new ManifestReader().readFile(file).get(0).converted().ignored().orElseThrow());
    }

    @Test
    void aRecordWhoseKeyIsNotItsObjectNamesTheFieldsThatDiffer() {
        String reason = new ResourceRecordDecoder().decode("Pod/tenant-a/web-1", record("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-2","namespace":"tenant-a"}}""")
                .getBytes(StandardCharsets.UTF_8)).deadLetterReason().orElseThrow();
        assertEquals("key Pod/tenant-a/web-1 does not match the object's kind, metadata.namespace and metadata.name: "
                + "Pod/tenant-a/web-2", reason);
    }

    @Test
    void nestingDeeperThanTheLimitIsAProblemOfTheLine() {
        int depth = InputLimits.MAX_NESTING_DEPTH + 1;
        String problem = new WatchEventReader().decode(5, "{\"type\":\"ADDED\",\"object\":{\"a\":" + "[".repeat(depth)
                + "]".repeat(depth) + "}}").problem().orElseThrow();
        assertTrue(problem.startsWith("not JSON: ") && problem.contains("maximum allowed (" + InputLimits.MAX_NESTING_DEPTH),
                problem);
    }
}
