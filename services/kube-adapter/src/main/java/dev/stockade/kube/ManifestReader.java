package dev.stockade.kube;

import com.fasterxml.jackson.core.StreamReadFeature;
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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a directory of manifests: {@code *.yaml}, {@code *.yml} and {@code *.json} files (walked
 * in path order), each holding one object, several YAML documents, or a {@code kind: List}.
 * JSON is read as YAML, which it is. A field written twice in one object is an error, as in the
 * API server's strict decoding (the second would silently win).
 */
public final class ManifestReader {

    /**
     * One object read, where it came from ({@code file#document}), and what it converted to; or a
     * file that could not be read or parsed ({@code unreadable} says why, {@code converted} is empty).
     */
    public record Decoded(String source, Converted converted, Optional<String> unreadable) {

        Decoded(String source, Converted converted) {
            this(source, converted, Optional.empty());
        }

        static Decoded unreadable(Path file, String why) {
            return new Decoded(file.toString(), new Converted(Optional.empty(), List.of(), Optional.empty()),
                    Optional.of(why));
        }
    }

    private final ObjectMapper yaml = YAMLMapper.builder(YAMLFactory.builder()
                    .streamReadConstraints(InputLimits.constraints()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
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
            objects(file).forEach(document -> decoded.add(new Decoded(document.source(), convert(document.object()))));
        } catch (IOException | RuntimeException e) {
            // what the file gave before the error is not used: a half-read file is not the cluster it describes
            decoded.clear();
            decoded.add(Decoded.unreadable(file, String.valueOf(e.getMessage()).replace('\n', ' ')));
        }
        return decoded;
    }

    /** A {@code kind: List} left as a document has no list of items: say so rather than "kind List is not read". */
    private Converted convert(JsonNode object) {
        if (isList(object)) {
            JsonNode items = object.path("items");
            return Converted.ignored("items: a " + object.path("kind").asText() + " holds a list of objects, not "
                    + (items.isMissingNode() ? "nothing" : items.getNodeType().toString().toLowerCase()));
        }
        return converter.convert(object);
    }

    private static boolean isList(JsonNode document) {
        return document.path("kind").asText("").endsWith("List");
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
                if (isList(document) && document.path("items").isArray()) {
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
