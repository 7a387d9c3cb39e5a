package dev.stockade.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockade.kube.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A conformance case as watch events: its manifests as ADDED (namespaces first), then its events.jsonl. */
final class ConformanceEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConformanceEvents() {
    }

    static List<JsonNode> of(Path caseDir) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        ManifestReader reader = new ManifestReader();
        for (Path file : ManifestReader.manifestFiles(caseDir.resolve("manifests"))) {
            for (ManifestReader.Document document : reader.objects(file)) {
                events.add(JSON.createObjectNode().put("type", "ADDED").set("object", document.object()));
            }
        }
        Path eventsFile = caseDir.resolve("events.jsonl");
        if (Files.exists(eventsFile)) {
            for (String line : Files.readAllLines(eventsFile)) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
        }
        return events;
    }

    /** One object as an ADDED event. */
    static JsonNode added(String objectJson) throws Exception {
        return JSON.createObjectNode().put("type", "ADDED").set("object", JSON.readTree(objectJson));
    }
}
