package dev.stockade.agent.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * One case of {@code ../shared/conformance}, read in place (never copied): its manifests and
 * events as core records (through the kube adapter) and its expected truth table per step.
 */
record ConformanceCase(String name, String title, List<Resource> manifests, List<ResourceEvent> events, List<Step> steps) {

    /** The state after the manifests plus the first {@code events} events, and what must hold then. */
    record Step(int events, String description, List<Probe> probes, List<Expected> verdicts) {
    }

    /** One expected verdict of the upstream truth table. */
    record Expected(String from, String to, Probe probe, boolean allowed) {
    }

    /** The corpus directory: system property {@code stockade.conformance.dir}, else found upwards from here. */
    static Path corpus() {
        String configured = System.getProperty("stockade.conformance.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/conformance");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("conformance corpus not found; set -Dstockade.conformance.dir");
    }

    static ConformanceCase load(String name) {
        Path dir = corpus().resolve(name);
        List<Resource> manifests = new ArrayList<>();
        new ManifestReader().readDirectory(dir.resolve("manifests"))
                .forEach(decoded -> decoded.converted().resource().ifPresent(manifests::add));
        List<ResourceEvent> events = new ArrayList<>();
        Path eventFile = dir.resolve("events.jsonl");
        if (Files.exists(eventFile)) {
            new WatchEventReader().read(eventFile).forEach(decoded -> events.add(decoded.event().orElseThrow(
                    () -> new IllegalStateException(name + " events.jsonl line " + decoded.line() + ": " + decoded.problem()))));
        }
        JsonNode expected = readJson(dir.resolve("expected.json"));
        List<Step> steps = new ArrayList<>();
        expected.path("steps").forEach(step -> steps.add(step(step)));
        return new ConformanceCase(name, expected.path("title").asText(), manifests, events, steps);
    }

    /** The pods of the manifests (every case of the corpus has the same nine). */
    List<PodInfo> pods() {
        return manifests.stream().filter(PodInfo.class::isInstance).map(PodInfo.class::cast).toList();
    }

    private static Step step(JsonNode step) {
        List<Probe> probes = new ArrayList<>();
        step.path("probes").forEach(probe -> probes.add(Probe.parse(probe.asText()).orElseThrow()));
        List<Expected> verdicts = new ArrayList<>();
        step.path("verdicts").forEach(verdict -> verdicts.add(new Expected(verdict.path("from").asText(),
                verdict.path("to").asText(), new Probe(verdict.path("port").asInt(),
                Protocol.parse(verdict.path("protocol").asText()).orElseThrow()), verdict.path("allowed").asBoolean())));
        return new Step(step.path("events").asInt(), step.path("description").asText(), probes, verdicts);
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + title + ")";
    }
}
