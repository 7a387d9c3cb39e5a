package dev.stockade.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.verdict.Probe;
import dev.stockade.kube.ManifestReader;
import dev.stockade.kube.WatchEventReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One NetworkPolicy case, read in place (never copied): the objects of its {@code manifests/} in file
 * order (namespaces, pods, policies), the watch events of its {@code events.jsonl}, and its truth
 * table per step ({@code expected.json}). The same case serves a test that talks to an API server
 * (the raw objects and events) and one that feeds an engine (the same, converted to core records).
 *
 * @param corpus {@link NetpolCorpus#OWN} or {@link NetpolCorpus#UPSTREAM}
 * @param name   the case's folder name, e.g. {@code np01-default-deny-ingress}
 * @param dir    the case's folder
 * @param title  what the case pins down
 * @param steps  the truth table after the manifests (step 0) and after each group of events
 */
public record NetpolCase(String corpus, String name, Path dir, String title, List<Step> steps) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The state after the manifests plus the first {@code events} events, and what must hold then.
     *
     * @param probes   the ports and protocols the step's verdicts cover
     * @param verdicts every ordered pair of pods with an address (self pairs included), for every probe
     */
    public record Step(int events, String description, List<Probe> probes, List<Expected> verdicts) {
    }

    /** One expected verdict: pod keys {@code namespace/name}. */
    public record Expected(String from, String to, Probe probe, boolean allowed) {
        @Override
        public String toString() {
            return from + " -> " + to + " " + probe;
        }
    }

    /** Reads the case in {@code dir}; a case that does not read is a broken fixture, so this throws. */
    public static NetpolCase load(String corpus, Path dir) {
        JsonNode expected = readJson(dir.resolve("expected.json"));
        List<Step> steps = new ArrayList<>();
        expected.path("steps").forEach(step -> steps.add(step(step)));
        return new NetpolCase(corpus, dir.getFileName().toString(), dir, expected.path("title").asText(), List.copyOf(steps));
    }

    /** The manifests' objects, as the API server would be given them, in file order. */
    public List<JsonNode> objects() {
        List<JsonNode> objects = new ArrayList<>();
        ManifestReader reader = new ManifestReader();
        try {
            for (Path file : ManifestReader.manifestFiles(dir.resolve("manifests"))) {
                reader.objects(file).forEach(document -> objects.add(document.object()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": manifests unreadable", e);
        }
        return objects;
    }

    /** The lines of {@code events.jsonl} ({@code {"type":...,"object":...}}); none when the case has no events. */
    public List<JsonNode> events() {
        Path file = dir.resolve("events.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": events.jsonl unreadable", e);
        }
    }

    /** The whole case as watch events: every manifest object ADDED, then the case's events. */
    public List<JsonNode> watchEvents() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode object : objects()) {
            ObjectNode added = JSON.createObjectNode().put("type", "ADDED");
            added.set("object", object);
            all.add(added);
        }
        all.addAll(events());
        return all;
    }

    /** The manifests as core records (through the kube adapter, as every reader of Stockade converts them). */
    public List<Resource> resources() {
        List<Resource> resources = new ArrayList<>();
        new ManifestReader().readDirectory(dir.resolve("manifests"))
                .forEach(decoded -> decoded.converted().resource().ifPresent(resources::add));
        return resources;
    }

    /** The events as core records; a line that does not decode is a broken fixture, so this throws. */
    public List<ResourceEvent> resourceEvents() {
        Path file = dir.resolve("events.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        List<ResourceEvent> events = new ArrayList<>();
        new WatchEventReader().read(file).forEach(decoded -> events.add(decoded.event().orElseThrow(
                () -> new IllegalStateException(name + " events.jsonl line " + decoded.line() + ": " + decoded.problem().orElse("rejected: " + decoded.rejections())))));
        return events;
    }

    /** The pods of the manifests (within a corpus, cases mostly share the same nine). */
    public List<PodInfo> pods() {
        return resources().stream().filter(PodInfo.class::isInstance).map(PodInfo.class::cast).toList();
    }

    private static Step step(JsonNode step) {
        List<Probe> probes = new ArrayList<>();
        step.path("probes").forEach(probe -> probes.add(Probe.parse(probe.asText()).orElseThrow()));
        List<Expected> verdicts = new ArrayList<>();
        step.path("verdicts").forEach(verdict -> verdicts.add(new Expected(verdict.path("from").asText(),
                verdict.path("to").asText(), new Probe(verdict.path("port").asInt(),
                Protocol.parse(verdict.path("protocol").asText()).orElseThrow()), verdict.path("allowed").asBoolean())));
        return new Step(step.path("events").asInt(), step.path("description").asText(), List.copyOf(probes), List.copyOf(verdicts));
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + " unreadable", e);
        }
    }

    @Override
    public String toString() {
        return "[" + corpus + "] " + name;
    }
}
