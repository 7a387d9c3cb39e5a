package dev.stockade.kube;

import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.util.List;
import java.util.Optional;

/**
 * One {@code stockade.resources} record (key and value) to what the engine needs: an event, or a rejection of the
 * object (bad content), or a reason it cannot be read at all (bad key, not JSON, unknown version,
 * an unknown kind) for the dead-letter topic. Never throws.
 */
public final class ResourceRecordDecoder {

    /**
     * The decoded record: an event (possibly with rejections of single fields that were read
     * failing closed), or rejections alone, or a dead-letter reason.
     */
    public record Decoded(ResourceKey key, Optional<ResourceEvent> event, List<Rejection> rejections,
                   Optional<String> deadLetterReason) {

        static Decoded dead(String reason) {
            return new Decoded(null, Optional.empty(), List.of(), Optional.of(reason));
        }
    }

    private final KubeObjectConverter converter = KubeObjectConverter.forTrimmedRecords();

    public Decoded decode(String keyText, byte[] value) {
        Optional<ResourceKey> key = ResourceKey.decode(keyText);
        if (key.isEmpty()) {
            return Decoded.dead("key '" + keyText + "' is not Kind/namespace/name");
        }
        if (value == null) {
            return new Decoded(key.get(), Optional.of(ResourceEvent.deleted(KubeObjectConverter.identity(key.get().ref()))), List.of(),
                    Optional.empty());
        }
        try {
            return fromObject(key.get(), WireJson.decodeResource(value));
        } catch (WireFormatException e) {
            return Decoded.dead(e.getMessage());
        }
    }

    /** The resource a stored record holds, for rebuilding state; empty when it no longer converts. */
    public Optional<Resource> resourceOf(byte[] value) {
        try {
            return converter.convert(WireJson.decodeResource(value).object()).resource();
        } catch (WireFormatException e) {
            return Optional.empty();
        }
    }

    private Decoded fromObject(ResourceKey key, ResourceRecord record) {
        Converted converted = converter.convert(record.object());
        if (converted.ignored().isPresent()) {
            return Decoded.dead(converted.ignored().get());
        }
        if (converted.resource().isEmpty()) {
            return new Decoded(key, Optional.empty(), converted.rejections(), Optional.empty());
        }
        Resource resource = converted.resource().get();
        if (!ResourceKey.of(resource.ref()).equals(key)) {
            return Decoded.dead("key " + key + " does not match the object's kind, metadata.namespace and metadata.name: "
                    + ResourceKey.of(resource.ref()));
        }
        // rejections beside a resource: a field refused while the object is still read, failing closed
        return new Decoded(key, Optional.of(ResourceEvent.modified(resource)), converted.rejections(), Optional.empty());
    }
}
