package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code stockade demo --once --record} (agents record rules, as where the machine cannot enforce):
 * the whole system on the tenant-a example converges and prints one JSON document whose verdicts are
 * those of {@code stockade matrix} on the same manifests, says it did not enforce and why, and with
 * {@code -v} shows the deltas as they arrive. The enforcing run is {@link DemoEnforcesTest}.
 */
class DemoCommandTest {

    private static final Path TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a");

    @Test
    void demoOnceRecordingConvergesAndPrintsTheRulesAndTheMatrixOfTheManifests() throws Exception {
        System.setProperty("stockade.jgroups.port", "7990");
        CliContractTest.Run demo = CliContractTest.run("demo", TENANT_A.toString(), "--once", "--record", "-v",
                "--probe", "80/TCP,443/TCP");
        assertEquals(0, demo.exitCode(), demo.err());
        JsonNode document = new ObjectMapper().readTree(demo.out());
        assertFalse(document.path("enforced").asBoolean(true), demo.out());
        assertEquals("--record given", document.path("reason").asText(), demo.out());
        assertTrue(demo.err().contains("not enforcing: --record given"), demo.err());
        assertEquals(0, document.path("difference").size(), demo.out());
        assertEquals(java.util.List.of("node-a1", "node-a2", "node-b1"),
                java.util.List.copyOf(iterable(document.path("rules").fieldNames())));
        CliContractTest.Run matrix = CliContractTest.run("matrix", "--manifests", TENANT_A.toString(), "--probe",
                "80/TCP,443/TCP");
        assertEquals(ConformanceCorpus.verdictSet(new ObjectMapper().readTree(matrix.out()).path("verdicts")),
                ConformanceCorpus.verdictSet(document.path("verdicts")));
        assertTrue(demo.err().contains("rules node-b1"), "deltas were shown as they arrived: " + demo.err());
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
