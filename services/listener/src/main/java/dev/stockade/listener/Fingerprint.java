package dev.stockade.listener;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * What "unchanged" means for the listener: the SHA-256 of a trimmed object's canonical JSON
 * (object keys sorted at every level) without {@code metadata.resourceVersion}.
 *
 * <p>Why without resourceVersion: Kubernetes bumps it on every write, including the many a pod
 * gets that the trimmer cuts away (conditions, container statuses). Counting it would republish
 * each such write although the compiler would see the same object. The record still carries the
 * resourceVersion of the object as last published. Comparing digests (not the objects) keeps
 * the listener's memory at 32 bytes per key.
 */
public record Fingerprint(String sha256) {

    /** The fingerprint of a deletion (a tombstone on the topic). */
    public static final Fingerprint TOMBSTONE = new Fingerprint("tombstone");
    /** A value on the topic that could not be read: never equal to a real object. */
    public static final Fingerprint UNREADABLE = new Fingerprint("unreadable");

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The fingerprint of a trimmed object. */
    public static Fingerprint of(JsonNode trimmed) {
        JsonNode canonical = canonical(trimmed);
        if (canonical.path("metadata") instanceof ObjectNode metadata) {
            metadata.remove("resourceVersion");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(canonical));
            return new Fingerprint(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint an object", e);
        }
    }

    /** A deep copy with every object's keys in sorted order. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode out = NODES.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(element -> out.add(canonical(element)));
            return out;
        }
        return node;
    }
}
