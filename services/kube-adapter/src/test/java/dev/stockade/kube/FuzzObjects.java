package dev.stockade.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.Rejection;
import dev.stockade.events.fuzz.BadInput;
import dev.stockade.events.fuzz.BadInputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * The valid Kubernetes objects the kube-adapter's fuzz properties start from
 * ({@code src/test/resources/fuzz/objects.json}: one of each kind Stockade reads, every field it
 * reads set), and what those properties share.
 */
final class FuzzObjects {

    /** A bad input made from one seed, and the object that seed is. */
    record Seeded(ObjectRef object, BadInput input) {
        @Override
        public String toString() {
            return object + " " + input;
        }
    }

    /**
     * Fields whose change leaves the object no longer the seed's (its identity) or no object at
     * all, under the prefix the decoder's input puts before the object ({@code object.}).
     */
    private static final List<String> IDENTITY = List.of("", "apiVersion", "kind", "metadata", "metadata.name",
            "metadata.namespace");

    private static final ObjectMapper JSON = new ObjectMapper();

    private FuzzObjects() {
    }

    static List<JsonNode> objects() {
        try (InputStream in = FuzzObjects.class.getResourceAsStream("/fuzz/objects.json")) {
            List<JsonNode> objects = new ArrayList<>();
            JSON.readTree(in).forEach(objects::add);
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = FuzzObjects.class.getResourceAsStream("/fuzz/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bad inputs made from each object by {@code wrap} (a record, an event), with the object they came from. */
    static Arbitrary<Seeded> seeded(Function<JsonNode, byte[]> wrap) {
        return Arbitraries.oneOf(objects().stream().map(object -> BadInputs.from(List.of(wrap.apply(object)))
                .map(input -> new Seeded(KubeObjectConverter.refOf(object), input))).toList());
    }

    /** True when the input changed a known field that is not part of the object's identity. */
    static boolean identityKept(BadInput input, String prefix) {
        Set<String> identity = IDENTITY.stream().map(field -> field.isEmpty() ? prefix : prefix + "." + field)
                .collect(Collectors.toSet());
        return input.field().isPresent() && !identity.contains(input.field().get());
    }

    /** Rejections as one text, each with its field: what a reader of the warning sees. */
    static String text(List<Rejection> rejections) {
        return rejections.stream().map(Rejection::toString).collect(Collectors.joining("; "));
    }
}
