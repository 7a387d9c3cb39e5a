package dev.stockade.kube;

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
 * The Kubernetes objects the conversion contracts are checked on, read in place: this repository's
 * {@code k8s/examples} and its own NetworkPolicy cases ({@code services/testdata/netpol-cases}),
 * always, and the upstream conformance corpus from {@code ../shared/conformance} (property
 * {@code stockade.conformance.dir}) when it is there.
 */
final class Corpus {

    /** A root folder of manifests and the name tests show for it. */
    record Root(String name, Path dir) {
    }

    /** A manifest or watch-event file and the root it came from. */
    record File(Root root, Path path) {
        /** {@code [own] np01-default-deny-ingress/manifests/20-pods.yaml}: which corpus, which file. */
        String label() {
            return "[" + root.name() + "] " + root.dir().relativize(path);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Corpus() {
    }

    /** The examples and the own cases (both part of the repository), then upstream when present. */
    static List<Root> roots() {
        Path repo = Path.of(System.getProperty("stockade.repo.dir", "../.."));
        List<Root> roots = new ArrayList<>();
        for (Root root : List.of(new Root("examples", repo.resolve("k8s/examples")),
                new Root("own", repo.resolve("services/testdata/netpol-cases")))) {
            if (!Files.isDirectory(root.dir())) {
                throw new IllegalStateException("part of the repository, yet missing: " + root.dir().toAbsolutePath());
            }
            roots.add(root);
        }
        Path upstream = Path.of(System.getProperty("stockade.conformance.dir", "../../../shared/conformance"));
        if (Files.isDirectory(upstream)) {
            roots.add(new Root("upstream", upstream));
        }
        return roots;
    }

    /** Manifest and watch-event files of every root, in path order within each root. */
    static List<File> files() {
        List<File> files = new ArrayList<>();
        for (Root root : roots()) {
            try (Stream<Path> walk = Files.walk(root.dir())) {
                walk.filter(Files::isRegularFile).filter(f -> {
                    String name = f.getFileName().toString();
                    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".jsonl")
                            || (name.endsWith(".json") && !name.equals("expected.json"));
                }).sorted().forEach(path -> files.add(new File(root, path)));
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
