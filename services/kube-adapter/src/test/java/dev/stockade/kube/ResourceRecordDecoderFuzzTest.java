package dev.stockade.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.Rejection;
import dev.stockade.events.fuzz.BadInput;
import dev.stockade.events.fuzz.FuzzTally;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireJson;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Bad {@code stockade.resources} records, fuzzed (the seeds are records of every kind Stockade reads,
 * mutated as {@code BadInputs} does; one in ten also gets a bad key): {@link ResourceRecordDecoder}
 * never throws, and every record becomes an event, or rejections, or a dead-letter reason; a
 * rejection of a record whose object kept its identity is of that object and names the field the
 * input changed; a valid record decodes the same before and after a bad one. The compiler, the
 * dispatcher's pool map and {@code stockade replay} all decode records this way.
 */
class ResourceRecordDecoderFuzzTest {

    private static final String VALID_KEY = "Pod/tenant-a/frontend-1";
    private static final byte[] VALID = WireJson.encode(ResourceRecord.of("1", 1795785600000L,
            FuzzObjects.objects().stream().filter(object -> object.path("kind").asText().equals("Pod")).findFirst()
                    .orElseThrow()));

    private final ResourceRecordDecoder decoder = new ResourceRecordDecoder();
    private final FuzzTally tally = new FuzzTally("ResourceRecordDecoder.decode");

    /** A record with its key; the key may be bad too. */
    record Keyed(String key, FuzzObjects.Seeded record) {
    }

    @AfterProperty
    void printTally() {
        tally.print();
    }

    @Provide
    Arbitrary<Keyed> records() {
        Arbitrary<FuzzObjects.Seeded> records = FuzzObjects.seeded(object -> WireJson.encode(ResourceRecord.of("1",
                1795785600000L, object)));
        Arbitrary<String> badKeys = Arbitraries.oneOf(Arbitraries.of("", "Pod", "Pod//", "Pod/a/b/c", "pod/tenant-a/x",
                "Deployment/tenant-a/web", "Namespace/x/tenant-a", "Node//", "Pod/tenant-a/" + "x".repeat(100_000),
                "Pod/tenant-a/frontend-1\u0000", "Pod/tenant-a/\uD800"), Arbitraries.strings().ofMaxLength(40));
        return Arbitraries.frequencyOf(
                Tuple.of(9, records.map(record -> new Keyed(ResourceKey.of(record.object()).encode(), record))),
                Tuple.of(1, Combinators.combine(badKeys, records).as(Keyed::new)));
    }

    @Property(tries = 10_000)
    void aRecordBecomesAnEventRejectionsOrADeadLetterReason(@ForAll("records") Keyed record) {
        ResourceRecordDecoder.Decoded before = decoder.decode(VALID_KEY, VALID);
        BadInput input = record.record().input();
        ResourceRecordDecoder.Decoded decoded = decoder.decode(record.key(), input.bytes());
        assertEquals(before, decoder.decode(VALID_KEY, VALID), "a valid record decodes differently after " + record);
        if (decoded.event().isPresent()) {
            tally.decoded();
            return;
        }
        String reason = decoded.deadLetterReason().orElseGet(() -> FuzzObjects.text(decoded.rejections()));
        assertTrue(decoded.deadLetterReason().isPresent() || !decoded.rejections().isEmpty(),
                () -> "neither an event nor a reason: " + record);
        if (!record.key().equals(ResourceKey.of(record.record().object()).encode())) {
            tally.rejected(input, reason);
            return;
        }
        tally.rejectedNaming(input, reason, Optional.empty());
        if (FuzzObjects.identityKept(input, "object")) {
            for (Rejection rejection : decoded.rejections()) {
                assertEquals(record.record().object(), rejection.object(), () -> "rejected another object: " + record);
            }
        }
    }
}
