package dev.stockade.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.stockade.core.model.EventType;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Kubernetes watch events, one JSON object per line:
 * {@code {"type":"ADDED|MODIFIED|DELETED","object":{...}}}. A bad line becomes a problem with its
 * line number and never stops the rest.
 */
public final class WatchEventReader {

    /**
     * One line: the event (empty when the line is unusable), rejections of its object, and a
     * problem text when the line could not be used at all.
     */
    public record DecodedEvent(int line, Optional<ResourceEvent> event, List<Rejection> rejections,
                               Optional<String> problem) {
    }

    private final ObjectMapper json = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(InputLimits.constraints()).build()).build();
    private final KubeObjectConverter converter = new KubeObjectConverter();

    /** Every non-blank line of the file, in order. */
    public List<DecodedEvent> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<DecodedEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                events.add(decode(i + 1, lines.get(i)));
            }
        }
        return events;
    }

    /** Decodes one watch event line. */
    public DecodedEvent decode(int line, String text) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            return problem(line, "not JSON: " + e.getOriginalMessage());
        }
        EventType type;
        try {
            type = EventType.valueOf(root.path("type").asText(""));
        } catch (IllegalArgumentException e) {
            return problem(line, "type must be ADDED, MODIFIED or DELETED, not '" + root.path("type").asText("") + "'");
        }
        JsonNode object = root.path("object");
        if (!object.isObject()) {
            return problem(line, "event has no object");
        }
        if (type == EventType.DELETED) {
            Optional<Resource> identity = converter.identity(object);
            return identity.map(resource -> new DecodedEvent(line, Optional.of(ResourceEvent.deleted(resource)),
                    List.of(), Optional.<String>empty())).orElseGet(() -> problem(line, "cannot tell what was deleted: "
                    + "the object needs apiVersion and kind of an object Stockade reads and metadata.name"));
        }
        Converted converted = converter.convert(object);
        if (converted.ignored().isPresent()) {
            return problem(line, converted.ignored().get());
        }
        return new DecodedEvent(line, converted.resource().map(resource -> new ResourceEvent(type, resource)),
                converted.rejections(), Optional.empty());
    }

    private static DecodedEvent problem(int line, String why) {
        return new DecodedEvent(line, Optional.empty(), List.of(), Optional.of(why));
    }
}
