package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The CLI as scripts use it: exit codes, exactly one JSON document on stdout, warnings on stderr. */
class CliContractTest {

    private static final Path TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a");

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            int code = StockadeCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
            return new Run(code, out.toString(), err + warnings.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void matrixPrintsOneJsonDocumentCoveringEveryOrderedPairAndProbe() throws Exception {
        Run run = run("matrix", "--manifests", TENANT_A.toString(), "--probe", "80/TCP,81/UDP");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode verdicts = new ObjectMapper().readTree(run.out()).path("verdicts");
        assertEquals(5 * 5 * 2, verdicts.size());
        assertEquals(List.of("from", "to", "protocol", "port", "allowed"), fieldNames(verdicts.get(0)));
        assertTrue(ConformanceCorpus.verdictSet(verdicts).contains("tenant-a/frontend-1->tenant-a/backend-2 80/TCP=true"));
        assertTrue(ConformanceCorpus.verdictSet(verdicts).contains("tenant-a/batch-1->tenant-a/backend-2 80/TCP=false"));
    }

    /** The own multi-step case always, and upstream's up20 when {@code ../shared/conformance} is there. */
    @TestFactory
    Stream<DynamicTest> matrixAppliesWatchEventsAfterTheManifests() {
        List<ConformanceCorpus.Case> multiStep = ConformanceCorpus.cases().stream()
                .filter(c -> c.name().startsWith("np10-") || c.name().startsWith("up20-")).toList();
        assertTrue(multiStep.stream().anyMatch(c -> c.corpus().equals(ConformanceCorpus.OWN)), "own case np10 is missing");
        return multiStep.stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> {
            JsonNode lastStep = c.steps().get(c.steps().size() - 1);
            List<String> probes = new java.util.ArrayList<>();
            lastStep.path("probes").forEach(probe -> probes.add(probe.asText()));
            Run run = run("matrix", "--manifests", c.manifests().toString(), "--events", c.events().toString(),
                    "--probe", String.join(",", probes));
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(ConformanceCorpus.expectedVerdicts(lastStep),
                    ConformanceCorpus.verdictSet(new ObjectMapper().readTree(run.out()).path("verdicts")));
        }));
    }

    @Test
    void matrixTableShowsAGridPerProbe() {
        Run run = run("matrix", "--manifests", TENANT_A.toString(), "--probe", "80/TCP", "-o", "table");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].startsWith("80/TCP"));
        assertTrue(lines[1].startsWith("FROM\\TO"));
        String frontendRow = List.of(lines).stream().filter(l -> l.startsWith("tenant-a/frontend-1")).findFirst().orElseThrow();
        assertEquals(List.of("tenant-a/frontend-1", ".", ".", "X", "X", "X"), List.of(frontendRow.trim().split("\\s+")));
    }

    @Test
    void explainNamesThePolicyAndRuleThatAllowed() throws Exception {
        Run run = run("explain", "--manifests", TENANT_A.toString(), "--from", "tenant-a/frontend-1", "--to",
                "tenant-a/backend-1", "--probe", "80/TCP", "-o", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode explanation = new ObjectMapper().readTree(run.out());
        assertTrue(explanation.path("allowed").asBoolean());
        JsonNode rule = explanation.path("ingress").path("allowedBy").get(0);
        assertEquals("LegacyNetworkPolicy", rule.path("policy").path("kind").asText());
        assertEquals("pol1", rule.path("policy").path("name").asText());
        assertEquals(0, rule.path("index").asInt());
        assertEquals("NamespaceIsolation", explanation.path("ingress").path("isolatedBy").get(0).path("kind").asText());
    }

    @Test
    void explainSaysWhenNoRuleMatches() {
        Run run = run("explain", "--manifests", TENANT_A.toString(), "--from", "tenant-a/batch-1", "--to",
                "tenant-a/backend-1", "--probe", "80/TCP");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("DENIED"), run.out());
        assertTrue(run.out().contains("no ingress rule matches"), run.out());
    }

    @Test
    void compileOutputIsByteIdenticalAcrossRuns() {
        Run first = run("compile", "--manifests", TENANT_A.toString(), "-o", "yaml");
        Run second = run("compile", "--manifests", TENANT_A.toString(), "-o", "yaml");
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(first.out(), second.out());
        assertTrue(first.out().contains("node-b1:"), first.out());
    }

    @Test
    void aBadProbeIsAUsageErrorNamingTheProbe() {
        Run run = run("matrix", "--manifests", TENANT_A.toString(), "--probe", "80/ICMP");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("80/ICMP"), run.err());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
