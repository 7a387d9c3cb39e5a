package dev.stockade.kube;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Kubernetes objects the conversion contracts are checked on: this repository's
 * {@code k8s/examples} and the upstream conformance corpus, read in place from
 * {@code ../shared/conformance} (property {@code stockade.conformance.dir}) when it is there.
 */
final class Corpus {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Corpus() {
    }

    /** Manifest and watch-event files of both roots, in path order; skips the test without the examples. */
    static List<Path> files() {
        Path conformance = Path.of(System.getProperty("stockade.conformance.dir", "../../../shared/conformance"));
        Path examples = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples");
        assumeTrue(Files.isDirectory(examples), "k8s/examples not found at " + examples);
        List<Path> roots = new ArrayList<>(List.of(examples));
        if (Files.isDirectory(conformance)) {
            roots.add(conformance);
        }
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).filter(f -> {
                    String name = f.getFileName().toString();
                    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".jsonl")
                            || (name.endsWith(".json") && !name.equals("expected.json"));
                }).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** Objects of a manifest (documents, List items) or of a watch-event file (each line's object). */
    static List<JsonNode> objectsOf(Path file) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        if (file.toString().endsWith(".jsonl")) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    objects.add(JSON.readTree(line).path("object"));
                }
            }
            return objects;
        }
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document == null || document.isEmpty()) {
                    continue;
                }
                if (document.path("kind").asText("").endsWith("List")) {
                    document.path("items").forEach(objects::add);
                } else {
                    objects.add(document);
                }
            }
        }
        return objects;
    }
}
