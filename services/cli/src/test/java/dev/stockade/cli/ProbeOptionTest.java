package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --probe} reads and refuses the same way in every command, and {@code --help} shows defaults. */
class ProbeOptionTest {

    private static final String TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a").toString();

    @Test
    void anOutOfRangePortIsTheSameOneLineErrorInMatrixAndExplain() {
        CliContractTest.Run matrix = CliContractTest.run("matrix", "--manifests", TENANT_A, "--probe", "70000/TCP");
        CliContractTest.Run explain = CliContractTest.run("explain", "--manifests", TENANT_A, "--from", "tenant-a/frontend-1",
                "--to", "tenant-a/backend-1", "--probe", "70000/TCP");
        assertEquals(2, matrix.exitCode());
        assertEquals(2, explain.exitCode());
        assertTrue(matrix.err().contains("port 70000 is outside 1-65535"), matrix.err());
        assertEquals(matrix.err().replace("stockade matrix", ""), explain.err().replace("stockade explain", ""));
        assertEquals(1, explain.err().strip().lines().count(), explain.err());
    }

    @Test
    void helpShowsEveryDefault() {
        CliContractTest.Run help = CliContractTest.run("matrix", "--help");
        assertTrue(help.out().contains("Default: json"), help.out());
        CliContractTest.Run demo = CliContractTest.run("demo", "--help");
        assertTrue(demo.out().contains("Default: 80/TCP"), demo.out());
    }
}
