package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockade.demo.PacketLab;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, "the demo enforces": {@code stockade demo --once} on the 2016 tenant-a example, as root
 * with nftables, builds the cluster in network namespaces, lets the real agents enforce their nodes'
 * rules with nftables, and probes every pod pair with real TCP connections. The measured matrix equals
 * the computed one ({@code stockade matrix} on the same manifests) cell for cell, frontend → backend
 * 80/TCP is allowed and every other pair into a backend is denied, on real packets; and the demo leaves
 * no namespace behind. Skips only where the machine cannot enforce (not root, nft/ip/socat missing).
 */
class DemoEnforcesTest {

    private static final Path TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a");

    @Test
    void demoOnceMeasuresOnRealPacketsTheMatrixStockadeMatrixComputesForTenantA() throws Exception {
        Optional<String> missing = PacketLab.cannotEnforce();
        assumeTrue(missing.isEmpty(), () -> "skipped: the demo cannot enforce here: " + missing.orElse(""));
        System.setProperty("stockade.jgroups.port", "7992");
        CliContractTest.Run demo = CliContractTest.run("demo", TENANT_A.toString(), "--once", "--probe", "80/TCP");
        assertEquals(0, demo.exitCode(), demo.out() + demo.err());
        JsonNode document = new ObjectMapper().readTree(demo.out());
        assertTrue(document.path("enforced").asBoolean(), "enforced: " + document.path("reason") + "\n" + demo.err());
        assertEquals(0, document.path("difference").size(), "no difference: " + document.path("difference"));

        Set<String> measured = ConformanceCorpus.verdictSet(document.path("measured"));
        assertEquals(20, measured.size(), "every ordered pair of the 5 pods but the self pairs was probed: " + measured);
        CliContractTest.Run matrix = CliContractTest.run("matrix", "--manifests", TENANT_A.toString(), "--probe", "80/TCP");
        Set<String> computedProbeable = new TreeSet<>();
        for (String cell : ConformanceCorpus.verdictSet(new ObjectMapper().readTree(matrix.out()).path("verdicts"))) {
            String pair = cell.substring(0, cell.indexOf(' '));
            if (!pair.substring(0, pair.indexOf("->")).equals(pair.substring(pair.indexOf("->") + 2))) {
                computedProbeable.add(cell);
            }
        }
        assertEquals(computedProbeable, measured, "measured on real packets == stockade matrix, cell for cell");

        List<String> intoBackend = new ArrayList<>();
        for (JsonNode cell : document.path("measured")) {
            String from = cell.path("from").asText();
            if (cell.path("to").asText().startsWith("tenant-a/backend-")) {
                boolean frontend = from.startsWith("tenant-a/frontend-");
                assertEquals(frontend, cell.path("allowed").asBoolean(), "into a backend on real packets: " + cell);
                intoBackend.add(from + "->" + cell.path("to").asText() + "=" + cell.path("allowed").asBoolean());
            }
        }
        assertEquals(8, intoBackend.size(), "4 sources into each of the 2 backends: " + intoBackend);
        assertTrue(demo.err().contains("enforcing with nftables"), demo.err());
        assertFalse(namespacesLeft(), "the demo removed its network namespaces");
    }

    private static boolean namespacesLeft() throws Exception {
        Process list = new ProcessBuilder("ip", "netns", "list").start();
        String names = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        list.waitFor();
        return names.contains(PacketLab.FAMILY + ProcessHandle.current().pid() + "-");
    }
}
