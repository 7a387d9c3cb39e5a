package dev.stockade.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stockade.core.model.Rejection;
import dev.stockade.events.fuzz.BadInput;
import dev.stockade.events.fuzz.FuzzTally;
import dev.stockade.events.v1.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Bad watch-event lines ({@code stockade matrix --events}), fuzzed: ADDED, MODIFIED and DELETED
 * events of every kind Stockade reads, mutated as {@code BadInputs} does. {@link WatchEventReader#decode}
 * never throws; each line gives an event, or rejections of its object, or a problem; either names
 * the field the input changed, and rejections of an object that kept its identity are of that
 * object; a valid line decodes the same before and after a bad one.
 */
class WatchEventReaderFuzzTest {

    private static final String VALID = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
            + "\"metadata\":{\"name\":\"tenant-b\",\"labels\":{\"team\":\"b\"}}}}";

    private final WatchEventReader reader = new WatchEventReader();
    private final FuzzTally tally = new FuzzTally("WatchEventReader.decode");
    private final FuzzTally surrogates = new FuzzTally("WatchEventReader.decode, lone surrogates");

    @AfterProperty
    void printTally() {
        List.of(tally, surrogates).stream().filter(counted -> counted.inputs() > 0).forEach(FuzzTally::print);
    }

    @Provide
    Arbitrary<FuzzObjects.Seeded> lines() {
        return Arbitraries.of("ADDED", "MODIFIED", "DELETED").flatMap(type -> FuzzObjects.seeded(object ->
                WireJson.encode(event(type, object))));
    }

    private static JsonNode event(String type, JsonNode object) {
        return JsonNodeFactory.instance.objectNode().put("type", type).set("object", object);
    }

    @Property(tries = 10_000)
    void aLineBecomesAnEventRejectionsOrAProblem(@ForAll("lines") FuzzObjects.Seeded line) {
        WatchEventReader.DecodedEvent before = reader.decode(7, VALID);
        BadInput input = line.input();
        WatchEventReader.DecodedEvent decoded = reader.decode(12, input.text());
        assertEquals(before, reader.decode(7, VALID), "a valid line decodes differently after " + line);
        assertEquals(12, decoded.line());
        if (decoded.event().isPresent()) {
            tally.decoded();
            return;
        }
        assertTrue(decoded.problem().isPresent() || !decoded.rejections().isEmpty(),
                () -> "neither an event nor a reason: " + line);
        tally.rejectedNaming(input, decoded.problem().orElseGet(() -> FuzzObjects.text(decoded.rejections())),
                Optional.empty());
        if (FuzzObjects.identityKept(input, "object")) {
            for (Rejection rejection : decoded.rejections()) {
                assertEquals(line.object(), rejection.object(), () -> "rejected another object: " + line);
            }
        }
    }

    /** Text a String can hold but UTF-8 cannot: lone surrogates, from a bad decoder upstream. */
    @Property(tries = 1_000)
    void aLineWithLoneSurrogatesIsDecodedOrHasAProblem(@ForAll("lines") FuzzObjects.Seeded line) {
        String text = new String(line.input().bytes(), StandardCharsets.UTF_8).replace("tenant-a", "tenant-\uD800")
                .replace("web", "w\uDC00eb");
        WatchEventReader.DecodedEvent decoded = reader.decode(1, text);
        if (decoded.event().isPresent()) {
            surrogates.decoded();
        } else {
            surrogates.rejected(line.input(), decoded.problem().orElseGet(() -> FuzzObjects.text(decoded.rejections())));
        }
    }
}
