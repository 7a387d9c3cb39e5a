package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.localkafka.KafkaTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded demo's listener: a directory of manifests to the resources topic on a real broker. */
class DirectoryListenerTest {

    private static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tenant-a
              annotations: {net.alpha.kubernetes.io/network-isolation: "on"}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: frontend-1, namespace: tenant-a, labels: {segment: frontend}}
            spec: {nodeName: node-a1}
            status: {phase: Running, podIP: 10.244.1.10}
            """;
    private static final String POLICY = """
            apiVersion: net.alpha.kubernetes.io/v1alpha1
            kind: NetworkPolicy
            metadata: {name: pol1, namespace: tenant-a}
            spec:
              podSelector: {segment: backend}
              allowIncoming:
                from:
                - pods: {segment: frontend}
                toPorts:
                - {port: 80, protocol: TCP}
            """;

    private static KafkaTestSupport kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestSupport.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private Replicas.Replica listener(String topic) {
        return Replicas.start(new DirectorySource(dir, Duration.ofMillis(100)), Leadership.sole(),
                kafka.bootstrapServers(), topic, "demo-listener");
    }

    @Test
    void editingAManifestFlowsThroughAsRecordsAndRemovingItAsTombstones() throws Exception {
        String topic = "resources-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, true);
        Files.writeString(dir.resolve("10-tenant-a.yaml"), MANIFESTS);
        Files.writeString(dir.resolve("30-pol1.yaml"), POLICY);
        try (TopicTail tail = new TopicTail(kafka.bootstrapServers(), topic);
             Replicas.Replica listener = listener(topic)) {
            tail.awaitLatest("three objects", t -> t.size() == 3);

            Files.writeString(dir.resolve("10-tenant-a.yaml"), MANIFESTS.replace("\"on\"", "\"off\""));
            tail.awaitLatest("isolation off", t -> t.get("Namespace//tenant-a").orElseThrow().path("metadata")
                    .path("annotations").path("net.alpha.kubernetes.io/network-isolation").asText().equals("off"));

            Files.delete(dir.resolve("30-pol1.yaml"));
            tail.awaitLatest("pol1's tombstone", t -> t.get("LegacyNetworkPolicy/tenant-a/pol1").isEmpty());
            assertEquals(5, tail.settle(Duration.ofMillis(300)).size(), "3 objects, 1 change, 1 tombstone");
        }
    }

    @Test
    void aRestartedListenerTombstonesWhatWasRemovedWhileItWasDown() throws Exception {
        String topic = "resources-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, true);
        Files.writeString(dir.resolve("10-tenant-a.yaml"), MANIFESTS);
        Files.writeString(dir.resolve("30-pol1.yaml"), POLICY);
        try (TopicTail tail = new TopicTail(kafka.bootstrapServers(), topic)) {
            try (Replicas.Replica first = listener(topic)) {
                tail.awaitLatest("three objects", t -> t.size() == 3);
            }
            Files.delete(dir.resolve("30-pol1.yaml"));
            try (Replicas.Replica second = listener(topic)) {
                tail.awaitLatest("pol1's tombstone", t -> t.get("LegacyNetworkPolicy/tenant-a/pol1").isEmpty());
                assertEquals(4, tail.settle(Duration.ofMillis(300)).size(), "unchanged objects are not republished");
            }
        }
    }
}
