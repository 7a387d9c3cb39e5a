package dev.stockade.events.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One fuzz input: how it was made (what a failing property reports), the bytes, and the field it
 * changed when it put a value of the wrong type at a known place or left a field out: its path
 * ({@code spec.ingress[0].ports[1]}, Kubernetes field-path style) and name ({@code ports}), which
 * a rejection of it should name.
 */
public record BadInput(String how, Optional<String> field, Optional<String> fieldName, byte[] bytes) {

    private static final int PREVIEW = 300;

    public static BadInput of(String how, byte[] bytes) {
        return new BadInput(how, Optional.empty(), Optional.empty(), bytes);
    }

    public static BadInput at(String how, String field, String name, byte[] bytes) {
        return new BadInput(how, Optional.of(field), Optional.of(name), bytes);
    }

    /** The bytes as text (invalid UTF-8 becomes U+FFFD), for decoders that take a string. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String text = text();
        String preview = text.length() > PREVIEW ? text.substring(0, PREVIEW) + "... (" + bytes.length + " bytes)" : text;
        return how + field.map(f -> " at " + f).orElse("") + ": " + preview;
    }
}
