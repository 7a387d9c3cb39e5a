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

    /** Every object of every manifest file under the directory; unreadable files are reported, not thrown. */
    public List<Decoded> readDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory");
        }
        List<Decoded> decoded = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            files.filter(Files::isRegularFile).filter(ManifestReader::isManifest).sorted()
                    .forEach(file -> decoded.addAll(readFile(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return decoded;
    }

    /** Every object in one file. */
    public List<Decoded> readFile(Path file) {
        List<Decoded> decoded = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                String source = file + "#" + index++;
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                if (document.path("kind").asText("").endsWith("List") && document.path("items").isArray()) {
                    int item = 0;
                    for (JsonNode object : document.path("items")) {
                        decoded.add(new Decoded(source + ".items[" + item++ + "]", converter.convert(object)));
                    }
                } else {
                    decoded.add(new Decoded(source, converter.convert(document)));
                }
            }
        } catch (IOException | RuntimeException e) {
            decoded.add(new Decoded(file.toString(), Converted.ignored("unreadable: " + e.getMessage())));
        }
        return decoded;
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
