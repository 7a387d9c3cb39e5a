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
import java.util.Optional;

/**
 * One NetworkPolicy case, read in place (never copied): its manifests and events as core records
 * (through the kube adapter) and its expected truth table per step. Cases come from the project's
 * own corpus ({@code services/testdata/netpol-cases}, always there) or from the upstream e2e corpus
 * ({@code ../shared/conformance}, extra input when present); {@code corpus} says which.
 */
record ConformanceCase(String corpus, String name, String title, List<Resource> manifests, List<ResourceEvent> events,
                       List<Step> steps) {

    /** The project's own corpus. */
    static final String OWN = "own";
    /** The upstream e2e corpus of {@code ../shared/conformance}. */
    static final String UPSTREAM = "upstream";
    private static final String OWN_PATH = "services/testdata/netpol-cases";

    /** The state after the manifests plus the first {@code events} events, and what must hold then. */
    record Step(int events, String description, List<Probe> probes, List<Expected> verdicts) {
    }

    /** One expected verdict of the case's truth table. */
    record Expected(String from, String to, Probe probe, boolean allowed) {
    }

    /** The own corpus: {@code stockade.repo.dir}/services/testdata/netpol-cases, else found upwards from here. */
    static Path ownCorpus() {
        String repo = System.getProperty("stockade.repo.dir");
        if (repo != null && Files.isDirectory(Path.of(repo, OWN_PATH))) {
            return Path.of(repo, OWN_PATH);
        }
        return upwards(OWN_PATH).orElseThrow(() -> new IllegalStateException(
                "the project's own cases (" + OWN_PATH + ") not found; set -Dstockade.repo.dir"));
    }

    /** The upstream corpus: {@code stockade.conformance.dir}, else shared/conformance found upwards; empty when absent. */
    static Optional<Path> upstreamCorpus() {
        String configured = System.getProperty("stockade.conformance.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Optional.of(Path.of(configured));
        }
        return upwards("shared/conformance");
    }

    private static Optional<Path> upwards(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A case of the own corpus. */
    static ConformanceCase own(String name) {
        return load(OWN, ownCorpus().resolve(name));
    }

    /** These cases of the upstream corpus; none when it is absent. */
    static List<ConformanceCase> upstream(List<String> names) {
        return upstreamCorpus().map(corpus -> names.stream().map(name -> load(UPSTREAM, corpus.resolve(name))).toList())
                .orElse(List.of());
    }

    static ConformanceCase load(String corpus, Path dir) {
        String name = dir.getFileName().toString();
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
        return new ConformanceCase(corpus, name, expected.path("title").asText(), manifests, events, steps);
    }

    /** The pods of the manifests (within a corpus, cases mostly share the same nine). */
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
        return "[" + corpus + "] " + name + " (" + title + ")";
    }
}
