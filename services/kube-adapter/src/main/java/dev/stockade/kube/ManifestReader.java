package dev.stockade.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a directory of manifests: {@code *.yaml}, {@code *.yml} and {@code *.json} files (walked
 * in path order), each holding one object, several YAML documents, or a {@code kind: List}
 * ({@code PodList} and the like too), of any size: files are read as a stream, an object at a
 * time ({@link ManifestStream}), so memory follows the objects kept, not the file's text.
 * {@code *.json} files are read as JSON, the others as YAML (JSON is YAML, but a YAML parser reads
 * it ten times slower). A field written twice in one object is an error, as in the API server's
 * strict decoding (the second would silently win). A file that cannot be read or parsed is
 * unreadable as a whole, with the document or item, the field, the line and the column named: a
 * half-read file is not the cluster it describes.
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
                    .loaderOptions(unlimitedDocuments()).streamReadConstraints(InputLimits.constraints()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final ObjectMapper json = JsonMapper.builder(JsonFactory.builder()
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
        try {
            return ManifestStream.read(mapperFor(file), file, (source, object) -> new Decoded(source, convert(object)));
        } catch (IOException | RuntimeException e) {
            // what the file gave before the error is not used: a half-read file is not the cluster it describes
            return List.of(Decoded.unreadable(file, reason(e)));
        }
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
        return ManifestStream.isList(document);
    }

    /** Why a file is unreadable, on one line: the parser's reason where it has one, else the I/O error. */
    private static String reason(Exception e) {
        String why = String.valueOf(e.getMessage()).replace('\n', ' ');
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException
                || e instanceof java.io.FileNotFoundException) {
            return "cannot be read: " + why;
        }
        return why;
    }

    private ObjectMapper mapperFor(Path file) {
        return file.getFileName().toString().endsWith(".json") ? json : yaml;
    }

    /**
     * SnakeYAML refuses a document over 3 MiB by default; a {@code kubectl get -A -o yaml} List is one
     * document of hundreds. Read as a stream, its size costs no memory; each string is still limited
     * ({@link InputLimits}).
     */
    private static LoaderOptions unlimitedDocuments() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return options;
    }

    /**
     * The manifest files under a directory, in path order, links to files included (a link to
     * nothing too, so that reading it reports it). A file deleted while the directory is walked is
     * left out (it is gone), instead of failing the whole walk: a directory that is being written
     * (the listener's directory source, a GitOps checkout) changes under the walk.
     */
    public static List<Path> manifestFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory");
        }
        List<Path> manifests = new ArrayList<>();
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    // A link counts unless it leads to a directory: a mounted ConfigMap's files are
                    // links, and a dangling one is a manifest that cannot be read (its reader says so),
                    // not one to leave out without a word.
                    boolean fileLike = attributes.isRegularFile() || attributes.isSymbolicLink() && !Files.isDirectory(file);
                    if (fileLike && isManifest(file)) {
                        manifests.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        manifests.sort(null);
        return manifests;
    }

    /** The objects of one file as written: documents in order, {@code kind: List} items in place. */
    public List<Document> objects(Path file) throws IOException {
        return ManifestStream.read(mapperFor(file), file, Document::new);
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
