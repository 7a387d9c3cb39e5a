package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.kube.ClusterLoader;
import dev.stockade.kube.WatchEventReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every NetworkPolicy case, every step, through the incremental engine: the project's own cases
 * ({@code services/testdata/netpol-cases}) always, and the 48 upstream e2e cases of
 * {@code ../shared/conformance} when that folder is there. The manifests are applied as ADDED
 * events, then the case's watch events one at a time, and after each step's events the matrix is
 * computed from what the agents hold (the fold of the per-node deltas). At every step the fold must
 * also equal a full compile of the state. Each test's name starts with its corpus.
 */
class ConformanceTest {

    @Test
    void theOwnCorpusHoldsAtLeastTwelveCasesEachWithSteps() {
        List<ConformanceCorpus.Case> own = ConformanceCorpus.ownCases();
        assertTrue(own.size() >= 12, "own cases: " + own.stream().map(ConformanceCorpus.Case::name).toList());
        own.forEach(c -> assertTrue(!c.steps().isEmpty(), c.label() + " has no step"));
    }

    /** When {@code ../shared/conformance} is there, it is whole; when it is not, there is nothing to check. */
    @TestFactory
    Stream<DynamicTest> theUpstreamCorpusWhenPresentHoldsAll48Cases() {
        List<ConformanceCorpus.Case> upstream = ConformanceCorpus.upstreamCases();
        return upstream.isEmpty() ? Stream.empty() : Stream.of(DynamicTest.dynamicTest(
                "[upstream] " + ConformanceCorpus.upstreamDirectory() + " holds 48 cases",
                () -> assertEquals(48, upstream.size())));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseEveryStepMatchesItsTruthTable() {
        return ConformanceCorpus.cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.label() + ": " + c.expected().path("title").asText(), () -> check(c)));
    }

    private static void check(ConformanceCorpus.Case conformanceCase) {
        List<String> warnings = new ArrayList<>();
        ClusterLoader loader = new ClusterLoader(warnings::add);
        loader.applyManifests(conformanceCase.manifests());
        List<WatchEventReader.DecodedEvent> events = conformanceCase.events() == null ? List.of()
                : new WatchEventReader().read(conformanceCase.events());
        int applied = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode step : conformanceCase.steps()) {
            int upTo = step.path("events").asInt();
            loader.applyEvents(events.subList(applied, upTo), "events.jsonl");
            applied = upTo;
            ClusterLoader.Loaded loaded = loader.loaded();
            assertFoldEqualsFullCompile(loaded, conformanceCase.label() + " after " + upTo + " events");
            List<Probe> probes = new ArrayList<>();
            step.path("probes").forEach(p -> probes.add(Probe.parse(p.asText()).orElseThrow()));
            var verdicts = Matrix.compute(Matrix.endpoints(loaded.engine().state()), probes,
                    new VerdictEvaluator(loaded.agents()::ruleSet));
            Set<String> actual = ConformanceCorpus.verdictSet(MatrixCommand.document(verdicts).path("verdicts"));
            Set<String> expected = ConformanceCorpus.expectedVerdicts(step);
            if (!actual.equals(expected)) {
                Set<String> wrong = new TreeSet<>(expected);
                wrong.removeAll(actual);
                failures.add("step '" + step.path("description").asText() + "' (" + upTo + " events): expected but not"
                        + " produced " + wrong.size() + ": " + wrong.stream().limit(12).toList());
            }
        }
        assertTrue(warnings.isEmpty(), "the corpus is valid input, yet: " + warnings);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    static void assertFoldEqualsFullCompile(ClusterLoader.Loaded loaded, String when) {
        CompiledCluster full = Compiler.compile(loaded.engine().state());
        Set<String> nodes = new TreeSet<>(full.ruleSets().keySet());
        nodes.addAll(loaded.agents().nonEmptyRuleSets().keySet());
        for (String node : nodes) {
            assertEquals(full.ruleSetFor(node), loaded.agents().ruleSet(node), "node " + node + ", " + when);
        }
    }
}
