package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code matrix} and {@code explain} never print a verdict that no node enforces. */
class NotEnforcedCliTest {

    private static final Path TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a");

    @TempDir
    Path cluster;

    private Path tenantAWithAHostNetworkPod() throws IOException {
        try (var files = Files.list(TENANT_A)) {
            for (Path file : files.toList()) {
                Files.copy(file, cluster.resolve(file.getFileName()));
            }
        }
        Files.writeString(cluster.resolve("host.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: node-exporter, namespace: tenant-a, labels: {segment: frontend}}
                spec: {nodeName: node-a1, hostNetwork: true, containers: [{name: c, image: exporter}]}
                status: {podIP: 192.168.1.10}
                """);
        return cluster;
    }

    @Test
    void matrixLeavesAHostNetworkPodOutAndSaysWhy() throws Exception {
        CliContractTest.Run run = CliContractTest.run("matrix", "--manifests", tenantAWithAHostNetworkPod().toString(),
                "--probe", "80/TCP");
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.out().contains("node-exporter"), run.out());
        assertTrue(run.err().contains("tenant-a/node-exporter: no verdict, not enforced: hostNetwork"), run.err());
    }

    @Test
    void explainSaysNotEnforcedForAHostNetworkPod() throws Exception {
        CliContractTest.Run run = CliContractTest.run("explain", "--manifests", tenantAWithAHostNetworkPod().toString(),
                "--from", "tenant-a/node-exporter", "--to", "tenant-a/backend-1", "--probe", "80/TCP");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("tenant-a/node-exporter -> tenant-a/backend-1 80/TCP: NOT ENFORCED"), run.out());
        assertFalse(run.out().contains("ALLOWED") || run.out().contains("DENIED"), run.out());
    }
}
