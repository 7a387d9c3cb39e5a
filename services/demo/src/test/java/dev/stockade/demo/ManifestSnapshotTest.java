package dev.stockade.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the demo's line per change says an edit of the directory changed. */
class ManifestSnapshotTest {

    private static final String NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n";
    private static final String POLICY = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            + "metadata: {name: deny, namespace: x}\nspec: {podSelector: {}}\n";
    private static final String LEGACY = "apiVersion: net.alpha.kubernetes.io/v1alpha1\nkind: NetworkPolicy\n"
            + "metadata: {name: pol1, namespace: x}\nspec: {podSelector: {a: b}}\n";

    @Test
    void anEditNamesEachObjectAddedModifiedAndDeletedByKindNamespaceAndName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("10-ns.yaml"), NAMESPACE);
        Files.writeString(dir.resolve("20-deny.yaml"), POLICY);
        ManifestSnapshot before = ManifestSnapshot.read(dir);
        assertEquals(List.of(), ManifestSnapshot.read(dir).changesSince(before), "reading twice changes nothing");

        Files.writeString(dir.resolve("10-ns.yaml"), NAMESPACE.replace("{name: x}", "{name: x, labels: {a: b}}"));
        Files.delete(dir.resolve("20-deny.yaml"));
        Files.writeString(dir.resolve("30-legacy.yaml"), LEGACY);
        ManifestSnapshot after = ManifestSnapshot.read(dir);
        assertEquals(List.of("modified Namespace x", "deleted NetworkPolicy x/deny",
                        "added NetworkPolicy x/pol1 (net.alpha.kubernetes.io/v1alpha1)"),
                after.changesSince(before));
        assertTrue(!after.modified().isBefore(before.modified()), "the newest file's time: " + after.modified());
    }

    @Test
    void aFileThatNoLongerReadsIsAChangeOfItsOwn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("10-ns.yaml"), NAMESPACE);
        ManifestSnapshot before = ManifestSnapshot.read(dir);
        Files.writeString(dir.resolve("10-ns.yaml"), "kind: [unclosed\n");
        List<String> changes = ManifestSnapshot.read(dir).changesSince(before);
        assertTrue(changes.contains("added file 10-ns.yaml (unreadable)"), changes.toString());
        assertTrue(changes.contains("deleted Namespace x"), changes.toString());
    }
}
