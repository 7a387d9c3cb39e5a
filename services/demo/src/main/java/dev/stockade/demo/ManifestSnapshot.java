package dev.stockade.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.kube.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a manifest directory holds, object by object, so the demo can say in words what an edit
 * changed ({@code modified NetworkPolicy tenant-a/deny-all}) and when it was saved. Objects are
 * keyed {@code Kind ns/name} and compared by their JSON; a file that does not read is an object of
 * its own ({@code file 30-pol1.yaml (unreadable)}), so a broken edit shows too.
 *
 * @param objects  key to the object's JSON text
 * @param modified when the newest file was last written
 */
public record ManifestSnapshot(SortedMap<String, String> objects, Instant modified) {

    /** Reads the directory now; never throws (an unreadable directory is an empty snapshot). */
    public static ManifestSnapshot read(Path directory) {
        SortedMap<String, String> objects = new TreeMap<>();
        Instant modified = Instant.EPOCH;
        ManifestReader reader = new ManifestReader();
        for (Path file : ManifestReader.manifestFiles(directory)) {
            try {
                Instant written = Files.getLastModifiedTime(file).toInstant();
                modified = written.isAfter(modified) ? written : modified;
                for (ManifestReader.Document document : reader.objects(file)) {
                    objects.put(key(document.object()), document.object().toString());
                }
            } catch (IOException | RuntimeException e) {
                objects.put("file " + file.getFileName() + " (unreadable)", String.valueOf(e.getMessage()));
            }
        }
        return new ManifestSnapshot(objects, modified);
    }

    /** The objects added, modified and deleted from {@code before} to this one, in key order; empty when none. */
    public List<String> changesSince(ManifestSnapshot before) {
        List<String> changes = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.objects.keySet());
        keys.addAll(objects.keySet());
        for (String key : keys) {
            String was = before.objects.get(key);
            String is = objects.get(key);
            if (was == null) {
                changes.add("added " + key);
            } else if (is == null) {
                changes.add("deleted " + key);
            } else if (!was.equals(is)) {
                changes.add("modified " + key);
            }
        }
        return changes;
    }

    private static String key(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        String apiVersion = object.path("apiVersion").asText("");
        boolean usual = apiVersion.equals("v1") || apiVersion.startsWith("networking.k8s.io/");
        return object.path("kind").asText("?") + " " + (namespace.isEmpty() ? "" : namespace + "/")
                + metadata.path("name").asText("?") + (usual ? "" : " (" + apiVersion + ")");
    }

    /** Only for equality checks in tests and loops: the objects, not the time. */
    public boolean sameObjects(ManifestSnapshot other) {
        return objects.equals(other.objects);
    }
}
