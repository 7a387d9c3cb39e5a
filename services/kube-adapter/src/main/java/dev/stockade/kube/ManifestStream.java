package dev.stockade.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Why: a manifest file can be a whole cluster ({@code kubectl get pods -A -o json} of 100,000 pods
 * is one 300 MB {@code List}), so it is read as a stream: each document, and each item of a
 * {@code List}, is read as a tree of its own and handed on at once, and only what the caller keeps
 * of it stays in memory, never the file's text or the list's tree.
 *
 * <p>kubectl writes {@code kind} after {@code items}, so whether a document is a {@code List} is
 * often known only at its end. Items are streamed as soon as {@code items} is an array, unless a
 * {@code kind} not ending in {@code List} came first. A document that streamed its items and then
 * turns out not to be a {@code List} is read again, whole, as one tree (what it is: an object with
 * a field {@code items}, which the converter rejects or ignores); only that rare file is held whole.
 */
final class ManifestStream<T> {

    /** What the caller makes of one object ({@code source} is {@code file#document} or {@code file#document.items[i]}). */
    interface Each<T> {
        T apply(String source, JsonNode object);
    }

    /** A document streamed its items but is not a List: read the file again as trees. */
    private static final class NotAList extends RuntimeException {
        NotAList() {
            super(null, null, false, false);
        }
    }

    private final ObjectMapper mapper;
    private final Path file;
    private final Each<T> each;
    private final List<T> read = new ArrayList<>();
    /** Where the parser is, for an error: the document or item being read. */
    private String where;

    private ManifestStream(ObjectMapper mapper, Path file, Each<T> each) {
        this.mapper = mapper;
        this.file = file;
        this.each = each;
    }

    /**
     * What {@code each} made of every object of the file, in order: documents, and the items of a
     * {@code List} in place. Throws IOException naming the document or item, the field and the
     * line and column where the file cannot be read or parsed.
     */
    static <T> List<T> read(ObjectMapper mapper, Path file, Each<T> each) throws IOException {
        try {
            return new ManifestStream<>(mapper, file, each).streamed();
        } catch (NotAList e) {
            return new ManifestStream<>(mapper, file, each).asTrees();
        }
    }

    private List<T> streamed() throws IOException {
        try (JsonParser parser = mapper.createParser(file.toFile())) {
            try {
                int index = 0;
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    where = file + "#" + index++;
                    if (token == JsonToken.START_OBJECT) {
                        document(parser, where);
                    } else {
                        parser.skipChildren();
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IOException(describe(e, parser.getParsingContext()), e);
            }
        }
        return read;
    }

    /** One document, its fields read one by one; a List's items handed on one by one. */
    private void document(JsonParser parser, String source) throws IOException {
        ObjectNode head = JsonNodeFactory.instance.objectNode();
        boolean streamedItems = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            boolean kindSaysNotList = head.has("kind") && !isList(head);
            if (field.equals("items") && value == JsonToken.START_ARRAY && !kindSaysNotList && !head.has("items")) {
                int item = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    where = source + ".items[" + item + "]";
                    read.add(each.apply(where, parser.readValueAsTree()));
                    item++;
                }
                where = source;
                head.putArray("items");
                streamedItems = true;
            } else {
                head.set(field, parser.readValueAsTree());
            }
        }
        if (streamedItems && !isList(head)) {
            throw new NotAList();
        }
        if (!streamedItems) {
            whole(source, head);
        }
    }

    /** The tree-at-a-time reading, for a file holding a document with items that is not a List. */
    private List<T> asTrees() throws IOException {
        try (JsonParser parser = mapper.createParser(file.toFile())) {
            try {
                int index = 0;
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    where = file + "#" + index++;
                    JsonNode document = parser.readValueAsTree();
                    if (document != null && document.isObject()) {
                        whole(where, (ObjectNode) document);
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IOException(describe(e, parser.getParsingContext()), e);
            }
        }
        return read;
    }

    /** A document read whole: empty ones are skipped, a List's items go one by one, anything else as it is. */
    private void whole(String source, ObjectNode document) {
        if (document.isEmpty()) {
            return;
        }
        if (isList(document) && document.path("items").isArray()) {
            int item = 0;
            for (JsonNode object : document.path("items")) {
                read.add(each.apply(source + ".items[" + item++ + "]", object));
            }
        } else {
            read.add(each.apply(source, document));
        }
    }

    static boolean isList(JsonNode document) {
        return document.path("kind").asText("").endsWith("List");
    }

    /** {@code file#0.items[7]: spec.ingress: Duplicate field 'ingress' (line 9, column 12)}. */
    private String describe(JsonProcessingException e, JsonStreamContext context) {
        String field = fieldPath(context);
        JsonLocation location = e.getLocation();
        return where + ": " + (field.isEmpty() ? "" : field + ": ") + e.getOriginalMessage().strip()
                + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")");
    }

    /** The field the parser was in, relative to the item when inside a List's items ({@code spec.ingress[0].ports}). */
    private String fieldPath(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                parts.add(0, "[" + Math.max(0, at.getCurrentIndex()) + "]");
            } else if (at.getCurrentName() != null) {
                parts.add(0, "." + at.getCurrentName());
            }
        }
        String path = String.join("", parts);
        int item = where.lastIndexOf(".items[");
        if (item >= 0 && path.startsWith(where.substring(item))) {
            path = path.substring(where.length() - item);
        }
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
