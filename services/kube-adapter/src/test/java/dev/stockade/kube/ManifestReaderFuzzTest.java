package dev.stockade.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.events.fuzz.BadInput;
import dev.stockade.events.fuzz.BadInputs;
import dev.stockade.events.fuzz.FuzzTally;
import dev.stockade.events.v1.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Bad manifest files, fuzzed: a JSON {@code kind: List} of every kind Stockade reads and each
 * object alone, mutated as {@code BadInputs} does, and a multi-document YAML file mutated as
 * {@link BadYaml} does (alias bombs, deep nesting, tags, ...), each written to a file.
 * {@link ManifestReader#readFile} never throws; every object read becomes a resource, rejections
 * or an ignored kind, or the file is unreadable with a reason; where the input changed a known
 * field, some reason names it (with the source, {@code file#0.items[2]}); a valid file reads the
 * same before and after a bad one.
 */
class ManifestReaderFuzzTest {

    private final ManifestReader reader = new ManifestReader();
    private final FuzzTally tally = new FuzzTally("ManifestReader.readFile");
    private final Path dir;
    private final Path valid;
    /** The valid file as read before any bad one (read once: each try reads it again after its bad file). */
    private final List<ManifestReader.Decoded> before;

    ManifestReaderFuzzTest() throws IOException {
        dir = Files.createTempDirectory("manifest-fuzz");
        valid = dir.resolve("valid.yaml");
        Files.write(valid, FuzzObjects.resource("manifest.yaml"));
        before = reader.readFile(valid);
    }

    @AfterProperty
    void cleanUp() throws IOException {
        tally.print();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Provide
    Arbitrary<BadInput> manifests() {
        List<JsonNode> objects = FuzzObjects.objects();
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "List");
        list.putArray("items").addAll(objects);
        Arbitrary<BadInput> json = BadInputs.from(Stream.concat(Stream.of(list), objects.stream())
                .map(WireJson::encode).toList());
        return Arbitraries.frequencyOf(Tuple.of(3, json), Tuple.of(1, BadYaml.from(FuzzObjects.resource("manifest.yaml"))));
    }

    @Property(tries = 10_000)
    void aFileIsReadIntoObjectsOrIsUnreadableWithAReason(@ForAll("manifests") BadInput input) throws IOException {
        Path file = dir.resolve("manifest.yaml");
        Files.write(file, input.bytes());
        List<ManifestReader.Decoded> read = reader.readFile(file);
        assertEquals(before, reader.readFile(valid), "a valid file reads differently after " + input);
        for (ManifestReader.Decoded decoded : read) {
            Converted converted = decoded.converted();
            assertTrue(decoded.unreadable().isPresent() || converted.resource().isPresent()
                    || !converted.rejections().isEmpty() || converted.ignored().isPresent(),
                    () -> "an object that is nothing: " + decoded + "\n  input: " + input);
        }
        boolean clean = read.stream().allMatch(decoded -> decoded.unreadable().isEmpty()
                && decoded.converted().rejections().isEmpty() && decoded.converted().ignored().isEmpty());
        if (clean) {
            tally.decoded();
        } else {
            tally.rejectedNaming(input, reasons(read), Optional.empty());
        }
    }

    /** What a reader of the warnings sees: each object's source and its reasons. */
    private static String reasons(List<ManifestReader.Decoded> read) {
        return read.stream().map(decoded -> decoded.source() + ": " + decoded.unreadable().orElse("")
                + decoded.converted().ignored().orElse("") + FuzzObjects.text(decoded.converted().rejections()))
                .collect(Collectors.joining("\n"));
    }
}
