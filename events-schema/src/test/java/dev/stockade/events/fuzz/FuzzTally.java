package dev.stockade.events.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what a decoder made of its fuzz inputs and prints one line per property, e.g.
 * {@code fuzz WireJson.decodeRuleDelta: 10000 inputs, 9731 rejected, 269 decoded}, so the number
 * of inputs is visible in the test output. Every rejection must give a reason.
 */
public final class FuzzTally {

    private final String decoder;
    private final AtomicInteger decoded = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    public FuzzTally(String decoder) {
        this.decoder = decoder;
    }

    public void decoded() {
        decoded.incrementAndGet();
    }

    /** A rejection; its reason may not be null or blank. */
    public void rejected(BadInput input, String reason) {
        assertTrue(reason != null && !reason.isBlank(), () -> "rejected without a reason: " + input);
        rejected.incrementAndGet();
    }

    /**
     * A rejection that must name the field the input changed, if it changed a known one, and the
     * object, where the input left it identifiable.
     */
    public void rejectedNaming(BadInput input, String reason, Optional<String> object) {
        rejected(input, reason);
        input.fieldName().ifPresent(field -> assertTrue(reason.contains(field),
                () -> "the reason does not name the field " + field + ": " + reason + "\n  input: " + input));
        object.ifPresent(name -> assertTrue(reason.contains(name),
                () -> "the reason does not name " + name + ": " + reason + "\n  input: " + input));
    }

    public int inputs() {
        return decoded.get() + rejected.get();
    }

    public String summary() {
        return "fuzz " + decoder + ": " + inputs() + " inputs, " + rejected.get() + " rejected, " + decoded.get() + " decoded";
    }

    public void print() {
        System.out.println(summary());
    }
}
