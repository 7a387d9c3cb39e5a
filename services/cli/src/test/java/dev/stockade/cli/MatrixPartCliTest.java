package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A user asks for part of the matrix ({@code --namespace}, {@code --from}, {@code --to}); a matrix
 * over {@code --max-cells} is refused with exit 2 and the options named, unless asked for with
 * {@code --max-cells 0}; a selector that matches no pod is a bad argument, not an empty answer.
 */
class MatrixPartCliTest {

    private static final Path TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CliContractTest.Run matrix(String... more) {
        String[] args = new String[5 + more.length];
        System.arraycopy(new String[] {"matrix", "--manifests", TENANT_A.toString(), "--probe", "80/TCP"}, 0, args, 0, 5);
        System.arraycopy(more, 0, args, 5, more.length);
        return CliContractTest.run(args);
    }

    @Test
    void fromOnePodToANamespaceGivesOnlyThoseCellsWithTheFullMatrixVerdicts() throws Exception {
        JsonNode all = JSON.readTree(matrix().out()).path("verdicts");
        CliContractTest.Run part = matrix("--from", "tenant-a/frontend-1", "--to", "tenant-a");
        assertEquals(0, part.exitCode(), part.err());
        JsonNode verdicts = JSON.readTree(part.out()).path("verdicts");
        assertEquals(5, verdicts.size());
        for (JsonNode verdict : verdicts) {
            assertEquals("tenant-a/frontend-1", verdict.path("from").asText());
            assertTrue(all.toString().contains(verdict.toString()), verdict + " as in the full matrix");
        }
    }

    @Test
    void aMatrixOverMaxCellsIsRefusedNamingTheOptionsUnlessAskedFor() {
        CliContractTest.Run refused = matrix("--max-cells", "10");
        assertEquals(2, refused.exitCode());
        assertEquals("", refused.out());
        assertTrue(refused.err().contains("25 cells") && refused.err().contains("--namespace")
                && refused.err().contains("--from") && refused.err().contains("--max-cells 0"), refused.err());
        assertEquals(0, matrix("--max-cells", "0").exitCode());
        assertEquals(0, matrix("--namespace", "tenant-a", "--max-cells", "25").exitCode());
    }

    @Test
    void aSelectorMatchingNoPodIsABadArgument() {
        CliContractTest.Run run = matrix("--to", "tenant-b");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--to 'tenant-b': no pod"), run.err());
        assertEquals(2, matrix("--namespace", "nowhere").exitCode());
    }
}
