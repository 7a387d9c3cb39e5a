package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rejected object is never silent in a result: {@code matrix}, {@code explain} and
 * {@code compile} print their result, name what they left out on stderr and exit 3; a file that
 * cannot be read or parsed is named; a typo'd field is named and never widens the result.
 */
class LeftOutInputTest {

    private static final Path TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cluster;

    /** tenant-a plus one more policy file. */
    private Path tenantAWith(String fileName, String yaml) throws IOException {
        try (var files = Files.list(TENANT_A)) {
            for (Path file : files.toList()) {
                Files.copy(file, cluster.resolve(file.getFileName()));
            }
        }
        Files.writeString(cluster.resolve(fileName), yaml);
        return cluster;
    }

    private static final String TYPO_TO_PORT = """
            apiVersion: net.alpha.kubernetes.io/v1alpha1
            kind: NetworkPolicy
            metadata: {name: batch-anything, namespace: tenant-a}
            spec:
              podSelector: {segment: backend}
              allowIncoming:
                from: [{pods: {segment: batch}}]
                toPort: [{port: 80, protocol: TCP}]
            """;

    @Test
    void aTypoedToPortIsRejectedNamedAndTheMatrixExitsThreeWithoutWidening() throws Exception {
        Path dir = tenantAWith("typo.yaml", TYPO_TO_PORT);
        CliContractTest.Run run = CliContractTest.run("matrix", "--manifests", dir.toString(), "--probe", "80/TCP,443/TCP");
        assertEquals(ClusterOptions.INPUT_LEFT_OUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("tenant-a/batch-anything") && run.err().contains("spec.allowIncoming.toPort"), run.err());
        assertTrue(run.err().contains("unknown field"), run.err());
        assertTrue(run.err().contains("leaves out 1 rejection(s) of 1 object(s)"), run.err());
        var verdicts = ConformanceCorpus.verdictSet(JSON.readTree(run.out()).path("verdicts"));
        assertTrue(verdicts.contains("tenant-a/batch-1->tenant-a/backend-2 443/TCP=false"), "the typo allowed every port");
        assertTrue(verdicts.contains("tenant-a/frontend-1->tenant-a/backend-2 80/TCP=true"), "the rest keeps working");
    }

    @Test
    void typoedV1FieldsAreEachNamedAndCompileExitsThree() throws Exception {
        Path dir = tenantAWith("typos.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: port-typo, namespace: tenant-a}
                spec:
                  podSelector: {matchLabels: {segment: batch}}
                  ingress: [{port: [{port: 443}]}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: selector-typo, namespace: tenant-a}
                spec:
                  podSelecter: {matchLabels: {segment: batch}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: match-typo, namespace: tenant-a}
                spec:
                  podSelector: {matchLabel: {segment: batch}}
                """);
        CliContractTest.Run run = CliContractTest.run("compile", "--manifests", dir.toString());
        assertEquals(ClusterOptions.INPUT_LEFT_OUT, run.exitCode(), run.err());
        for (String named : List.of("tenant-a/port-typo: spec.ingress[0].port", "tenant-a/selector-typo: spec.podSelecter",
                "tenant-a/match-typo: spec.podSelector.matchLabel")) {
            assertTrue(run.err().contains(named), named + " in " + run.err());
        }
        assertFalse(run.out().contains("port-typo") || run.out().contains("selector-typo"), run.out());
    }

    @Test
    void explainNamesARejectedPolicyOfTheNamespacesInvolved() throws Exception {
        Path dir = tenantAWith("typo.yaml", TYPO_TO_PORT);
        CliContractTest.Run run = CliContractTest.run("explain", "--manifests", dir.toString(), "--from", "tenant-a/batch-1",
                "--to", "tenant-a/backend-1", "--probe", "443/TCP");
        assertEquals(ClusterOptions.INPUT_LEFT_OUT, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("! "), run.out());
        assertTrue(run.out().contains("batch-anything was rejected at spec.allowIncoming.toPort")
                && run.out().contains("the verdict below ignores it"), run.out());
        assertTrue(run.out().contains("DENIED"), run.out());
    }

    @Test
    void explainJsonSpellsEveryFieldAndListsTheRejected() throws Exception {
        Path dir = tenantAWith("typo.yaml", TYPO_TO_PORT);
        CliContractTest.Run run = CliContractTest.run("explain", "--manifests", dir.toString(), "--from", "tenant-a/frontend-1",
                "--to", "tenant-a/backend-1", "--probe", "80/TCP", "-o", "json");
        assertEquals(ClusterOptions.INPUT_LEFT_OUT, run.exitCode(), run.err());
        JsonNode explanation = JSON.readTree(run.out());
        assertEquals(List.of("from", "to", "probe", "allowed", "egress", "ingress", "rejected"), fieldNames(explanation));
        assertEquals(List.of("direction", "node", "isolated", "isolatedBy", "allowed", "allowedBy"),
                fieldNames(explanation.path("ingress")));
        assertTrue(explanation.path("ingress").path("isolated").asBoolean());
        assertFalse(explanation.path("egress").path("isolated").asBoolean());
        assertEquals(1, explanation.path("rejected").size());
    }

    @Test
    void anUnreadableFileIsNamedAndTheCommandExitsThree() throws Exception {
        Path dir = tenantAWith("broken.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: [unclosed\n");
        CliContractTest.Run run = CliContractTest.run("matrix", "--manifests", dir.toString(), "--probe", "80/TCP");
        assertEquals(ClusterOptions.INPUT_LEFT_OUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("broken.yaml: unreadable, left out"), run.err());
        assertTrue(run.err().contains("1 unreadable file(s)"), run.err());
    }

    /** A manifest that is a link to nothing (a missing file, a half-synced checkout) is named, never skipped silently. */
    @Test
    void aDanglingLinkIsNamedAsUnreadableAndTheCommandExitsThree() throws Exception {
        Path dir = tenantAWith("extra.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n");
        Files.createSymbolicLink(dir.resolve("pods.json"), dir.resolve("nowhere").resolve("pods.json"));
        CliContractTest.Run run = CliContractTest.run("compile", "--manifests", dir.toString());
        assertEquals(ClusterOptions.INPUT_LEFT_OUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("pods.json: unreadable, left out"), run.err());
    }

    @Test
    void aFieldWrittenTwiceMakesTheFileUnreadableNamingTheField() throws Exception {
        Path dir = tenantAWith("twice.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: twice, namespace: tenant-a}
                spec:
                  podSelector: {}
                  ingress: [{}]
                  ingress: []
                """);
        CliContractTest.Run run = CliContractTest.run("compile", "--manifests", dir.toString());
        assertEquals(ClusterOptions.INPUT_LEFT_OUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("twice.yaml: unreadable") && run.err().contains("ingress"), run.err());
    }

    @Test
    void anEmptyDirectoryIsAWarningAndAnUnknownPodOneLine() throws Exception {
        CliContractTest.Run empty = CliContractTest.run("matrix", "--manifests", cluster.toString(), "--probe", "80/TCP");
        assertEquals(0, empty.exitCode(), empty.err());
        assertTrue(empty.err().contains("no *.yaml, *.yml or *.json manifests"), empty.err());
        CliContractTest.Run unknown = CliContractTest.run("explain", "--manifests", TENANT_A.toString(), "--from",
                "tenant-a/nobody", "--to", "tenant-a/backend-1", "--probe", "80/TCP");
        assertEquals(2, unknown.exitCode());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        assertTrue(unknown.err().contains("no pod 'tenant-a/nobody'"), unknown.err());
    }

    @Test
    void helpListsTheExitCodes() {
        CliContractTest.Run help = CliContractTest.run("compile", "--help");
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("3   the result was printed"), help.out());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
