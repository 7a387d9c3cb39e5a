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
 * The upstream e2e conformance corpus in {@code ../shared/conformance}, read in place (never
 * copied into the project). The folder comes from the {@code stockade.conformance.dir} system
 * property, which the build sets.
 */
final class ConformanceCorpus {

    /** One case: its folder and expected.json. */
    record Case(String name, Path dir, JsonNode expected) {
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
    }

    private ConformanceCorpus() {
    }

    static Path directory() {
        String configured = System.getProperty("stockade.conformance.dir", "../shared/conformance");
        return Path.of(configured).toAbsolutePath().normalize();
    }

    static boolean present() {
        return Files.isDirectory(directory());
    }

    static List<Case> cases() {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> dirs = Files.list(directory())) {
            List<Case> cases = new ArrayList<>();
            for (Path dir : dirs.filter(d -> Files.exists(d.resolve("expected.json"))).sorted().toList()) {
                cases.add(new Case(dir.getFileName().toString(), dir, json.readTree(dir.resolve("expected.json").toFile())));
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
