package dev.stockade.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Three {@link LocalKafka#startClusterNode} nodes (combined, a static 3-voter quorum; here in one
 * JVM, in the chaos harness one per process) form a cluster with RF 3 / min ISR 2, and a node
 * stopped and started again on its own directory, with its id and ports, rejoins it.
 */
class ClusterNodeTest {

    @Test
    void threeNodesServeAndAStoppedNodeRestartsOnItsOwnLog(@TempDir Path dir) throws Exception {
        ClusterLayout layout = ClusterLayout.onFreePorts(3, 7640);
        assertEquals(layout, ClusterLayout.parse(layout.asText()));
        List<CompletableFuture<LocalKafka>> starting = new ArrayList<>();
        for (ClusterLayout.Node node : layout.nodes()) {
            starting.add(CompletableFuture.supplyAsync(() -> start(layout, node.id(), dir)));
        }
        List<LocalKafka> nodes = new ArrayList<>();
        for (CompletableFuture<LocalKafka> node : starting) {
            nodes.add(node.get(120, TimeUnit.SECONDS));
        }
        try {
            Topics topics = new Topics(layout.bootstrapServers(), (short) 3);
            topics.awaitBrokers(3);
            topics.create("replicated", 1, Map.of("min.insync.replicas", "2"));
            List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, String> producer = Clients.producer(layout.bootstrapServers(), null)) {
                send(producer, 0, 20, sent);
                nodes.get(1).close();
                send(producer, 20, 40, sent);
                nodes.set(1, start(layout, 2, dir));
                topics.awaitBrokers(3);
                send(producer, 40, 60, sent);
            }
            List<String> read = Clients.readAll(layout.bootstrapServers(), "replicated", 0, "read_committed").stream()
                    .map(ConsumerRecord::value).toList();
            assertEquals(sent, read, "every acknowledged record, once, in order");
        } finally {
            // All at once: a node closed after the others lost their quorum waits for it in vain.
            CompletableFuture.allOf(nodes.stream().map(node -> CompletableFuture.runAsync(node::close))
                    .toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }
    }

    private static LocalKafka start(ClusterLayout layout, int id, Path dir) {
        return LocalKafka.startClusterNode(layout, id, dir.resolve("node-" + id), Map.of());
    }

    private static void send(KafkaProducer<String, String> producer, int from, int to, List<String> sent) throws Exception {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>("replicated", "key-" + i, "event-" + i)).get();
            sent.add("event-" + i);
        }
    }
}
