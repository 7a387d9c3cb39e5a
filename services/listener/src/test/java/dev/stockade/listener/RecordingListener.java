package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@link SourceListener} that writes down what it is told, as {@code upsert Kind/ns/name} lines. */
final class RecordingListener implements SourceListener {

    private final List<String> events = new ArrayList<>();
    private final List<JsonNode> objects = new ArrayList<>();

    @Override
    public synchronized void upsert(JsonNode object) {
        events.add("upsert " + ResourceKeys.of(object).map(ResourceKey::encode).orElse("?"));
        objects.add(object);
    }

    @Override
    public synchronized void delete(ResourceKey key) {
        events.add("delete " + key.encode());
    }

    @Override
    public synchronized void initialListDone() {
        events.add("synced");
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized JsonNode lastObject() {
        return objects.get(objects.size() - 1);
    }

    synchronized void clear() {
        events.clear();
        objects.clear();
    }

    /** Waits (up to 10 s) until the events satisfy the condition; returns them. */
    List<String> await(Predicate<List<String>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.test(events()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return events();
    }
}
