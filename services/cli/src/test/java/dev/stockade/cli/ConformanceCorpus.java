package dev.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The NetworkPolicy cases the CLI is checked on, read in place: the project's own corpus in
 * {@code services/testdata/netpol-cases} (always there; property {@code stockade.repo.dir} names the
 * repository) and the upstream e2e corpus in {@code ../shared/conformance} (property
 * {@code stockade.conformance.dir}), extra input when present and never copied in.
 */
final class ConformanceCorpus {

    /** The project's own corpus. */
    static final String OWN = "own";
    /** The upstream e2e corpus of {@code ../shared/conformance}. */
    static final String UPSTREAM = "upstream";

    /** One case: the corpus it came from, its folder and expected.json. */
    record Case(String corpus, String name, Path dir, JsonNode expected) {
        Path manifests() {
            return dir.resolve("manifests");
        }

        Path events() {
            Path events = dir.resolve("events.jsonl");
            return Files.exists(events) ? events : null;
        }

        List<JsonNode> steps() {
            List<JsonNode> steps = new ArrayList<>();
            expected.path("steps").forEach(steps::add);
            return steps;
        }

        /** {@code [own] np01-default-deny-ingress}: which corpus, which case. */
        String label() {
            return "[" + corpus + "] " + name;
        }
    }

    private ConformanceCorpus() {
    }

    static Path ownDirectory() {
        return Path.of(System.getProperty("stockade.repo.dir", "../.."), "services/testdata/netpol-cases")
                .toAbsolutePath().normalize();
    }

    static Path upstreamDirectory() {
        String configured = System.getProperty("stockade.conformance.dir", "../shared/conformance");
        return Path.of(configured).toAbsolutePath().normalize();
    }

    /** The project's own cases; fails when the folder is missing (it is part of the repository). */
    static List<Case> ownCases() {
        if (!Files.isDirectory(ownDirectory())) {
            throw new IllegalStateException("the project's own cases are missing: " + ownDirectory());
        }
        return cases(OWN, ownDirectory());
    }

    /** The upstream cases; none when {@code ../shared/conformance} is absent. */
    static List<Case> upstreamCases() {
        return Files.isDirectory(upstreamDirectory()) ? cases(UPSTREAM, upstreamDirectory()) : List.of();
    }

    /** Own cases, then upstream ones when present. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(ownCases());
        cases.addAll(upstreamCases());
        return cases;
    }

    private static List<Case> cases(String corpus, Path directory) {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> dirs = Files.list(directory)) {
            List<Case> cases = new ArrayList<>();
            for (Path dir : dirs.filter(d -> Files.exists(d.resolve("expected.json"))).sorted().toList()) {
                cases.add(new Case(corpus, dir.getFileName().toString(), dir, json.readTree(dir.resolve("expected.json").toFile())));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A step's expected verdicts as comparable strings {@code from->to port/PROTO=allowed}. */
    static Set<String> expectedVerdicts(JsonNode step) {
        return verdictSet(step.path("verdicts"));
    }

    static Set<String> verdictSet(JsonNode verdicts) {
        Set<String> set = new TreeSet<>();
        verdicts.forEach(v -> set.add(v.path("from").asText() + "->" + v.path("to").asText() + " "
                + v.path("port").asInt() + "/" + v.path("protocol").asText() + "=" + v.path("allowed").asBoolean()));
        return set;
    }
}
