package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceTest {

    private static final String NAMESPACE = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tenant-a
              annotations: {net.alpha.kubernetes.io/network-isolation: "on"}
            """;
    private static final String PODS = """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Pod, metadata: {name: web-1, namespace: tenant-a, labels: {segment: frontend}}}
            - {apiVersion: v1, kind: Pod, metadata: {name: db-1, namespace: tenant-a, labels: {segment: backend}}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ignored, namespace: tenant-a}
            """;

    @TempDir
    Path dir;

    @Test
    void theFirstScanReportsEveryObjectThenThatTheListingIsComplete() throws Exception {
        Files.writeString(dir.resolve("10-namespace.yaml"), NAMESPACE);
        Files.writeString(dir.resolve("20-pods.yaml"), PODS);
        RecordingListener events = new RecordingListener();
        try (DirectorySource source = new DirectorySource(dir, Duration.ofMillis(50))) {
            source.start(events);
            List<String> seen = events.await(e -> e.contains("synced"));
            assertEquals(Set.of("upsert Namespace//tenant-a", "upsert Pod/tenant-a/web-1", "upsert Pod/tenant-a/db-1"),
                    new TreeSet<>(seen.subList(0, 3)));
            assertEquals("synced", seen.get(3));
            assertTrue(source.synced());
            assertEquals(3, source.current().size(), "the ConfigMap is not a kind Stockade reads");
        }
    }

    /**
     * A directory being written changes under the scan: a file listed and then deleted before it
     * is read is simply gone. Once, such a file failed the whole scan, so every change waited
     * for the next one (the chaos harness's directory saw that several times a second).
     */
    @Test
    void filesCreatedAndDeletedDuringScansNeverFailOne() throws Exception {
        Files.writeString(dir.resolve("10-namespace.yaml"), NAMESPACE);
        AtomicBoolean churning = new AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            for (int i = 0; churning.get(); i++) {
                Path file = dir.resolve("pod-" + (i % 40) + ".yaml");
                try {
                    if (!Files.deleteIfExists(file)) {
                        Files.writeString(file, "{apiVersion: v1, kind: Pod, metadata: {name: p" + (i % 40)
                                + ", namespace: tenant-a}}");
                    }
                } catch (java.io.IOException e) {
                    // a write racing a delete of the same name: the next round tries again
                }
            }
        }, "churn");
        try (DirectorySource source = new DirectorySource(dir, Duration.ofHours(1))) {
            source.start(new RecordingListener());
            churn.start();
            for (int scan = 0; scan < 400; scan++) {
                source.scan();
            }
        } finally {
            churning.set(false);
            churn.join();
        }
    }

    @Test
    void editingAFileReportsTheChangedObjectAndRemovingOneReportsDeletes() throws Exception {
        Files.writeString(dir.resolve("10-namespace.yaml"), NAMESPACE);
        Files.writeString(dir.resolve("20-pods.yaml"), PODS);
        RecordingListener events = new RecordingListener();
        try (DirectorySource source = new DirectorySource(dir, Duration.ofMillis(50))) {
            source.start(events);
            events.await(e -> e.contains("synced"));
            events.clear();

            Files.writeString(dir.resolve("20-pods.yaml"), PODS.replace("segment: frontend", "segment: backend"));
            assertEquals(List.of("upsert Pod/tenant-a/web-1"), events.await(e -> !e.isEmpty()));
            assertEquals("backend", events.lastObject().path("metadata").path("labels").path("segment").asText());
            events.clear();

            Files.delete(dir.resolve("20-pods.yaml"));
            assertEquals(Set.of("delete Pod/tenant-a/web-1", "delete Pod/tenant-a/db-1"),
                    new TreeSet<>(events.await(e -> e.size() == 2)));
        }
    }

    @Test
    void anUnparsableFileKeepsItsPreviousObjectsInsteadOfDeletingThem() throws Exception {
        Files.writeString(dir.resolve("20-pods.yaml"), PODS);
        RecordingListener events = new RecordingListener();
        try (DirectorySource source = new DirectorySource(dir, Duration.ofMillis(50))) {
            source.start(events);
            events.await(e -> e.contains("synced"));
            events.clear();
            Files.writeString(dir.resolve("20-pods.yaml"), "items: [ {apiVersion: v1, kind: Pod, metadata: {name: ");
            Thread.sleep(300);
            assertEquals(List.of(), events.events());
            assertEquals(2, source.current().size());
        }
    }
}
