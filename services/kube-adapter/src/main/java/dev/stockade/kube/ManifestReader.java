package dev.stockade.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a directory of manifests: {@code *.yaml}, {@code *.yml} and {@code *.json} files (walked
 * in path order), each holding one object, several YAML documents, or a {@code kind: List}.
 * JSON is read as YAML, which it is.
 */
public final class ManifestReader {

    /** One object read, where it came from ({@code file#document}), and what it converted to. */
    public record Decoded(String source, Converted converted) {
    }

    private final ObjectMapper yaml = new YAMLMapper(new YAMLFactory());
    private final KubeObjectConverter converter = new KubeObjectConverter();

    /** One Kubernetes object as written, and where ({@code file#document}, {@code .items[i]} inside a List). */
    public record Document(String source, JsonNode object) {
    }

    /** Every object of every manifest file under the directory, converted; unreadable files are reported, not thrown. */
    public List<Decoded> readDirectory(Path directory) {
        List<Decoded> decoded = new ArrayList<>();
        for (Path file : manifestFiles(directory)) {
            decoded.addAll(readFile(file));
        }
        return decoded;
    }

    /** Every object in one file, converted. */
    public List<Decoded> readFile(Path file) {
        List<Decoded> decoded = new ArrayList<>();
        try {
            objects(file).forEach(document ->
                    decoded.add(new Decoded(document.source(), converter.convert(document.object()))));
        } catch (IOException | RuntimeException e) {
            decoded.add(new Decoded(file.toString(), Converted.ignored("unreadable: " + e.getMessage())));
        }
        return decoded;
    }

    /** The manifest files under a directory, in path order. */
    public static List<Path> manifestFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory");
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).filter(ManifestReader::isManifest).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of one file as written: documents in order, {@code kind: List} items in place. */
    public List<Document> objects(Path file) throws IOException {
        List<Document> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                String source = file + "#" + index++;
                if (document == null || !document.isObject() || document.isEmpty()) {
                    continue;
                }
                if (document.path("kind").asText("").endsWith("List") && document.path("items").isArray()) {
                    int item = 0;
                    for (JsonNode object : document.path("items")) {
                        objects.add(new Document(source + ".items[" + item++ + "]", object));
                    }
                } else {
                    objects.add(new Document(source, document));
                }
            }
        }
        return objects;
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
