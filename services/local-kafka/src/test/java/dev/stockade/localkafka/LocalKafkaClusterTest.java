package dev.stockade.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/** A 3-broker cluster with RF 3 / min ISR 2 loses no acknowledged record when a leader stops. */
class LocalKafkaClusterTest {

    private static final String TOPIC = "fault";

    @Test
    void stoppingThePartitionLeaderLosesNoAcknowledgedRecord() throws Exception {
        try (LocalKafkaCluster cluster = LocalKafkaCluster.start()) {
            cluster.createTopic(TOPIC, 1, true);
            List<String> acknowledged = new ArrayList<>();
            int leader;
            try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), null)) {
                sendAll(producer, 0, 50, acknowledged);
                leader = cluster.leaderOf(TOPIC, 0);
                cluster.stopBroker(leader);
                sendAll(producer, 50, 100, acknowledged);
            }
            assertEquals(100, acknowledged.size());
            assertNotEquals(leader, cluster.leaderOf(TOPIC, 0), "leadership moved off the stopped broker");
            assertTrue(!cluster.runningBrokers().contains(leader));
            List<String> read = Clients.readAll(cluster.bootstrapServers(), TOPIC, 0, "read_committed").stream()
                    .map(ConsumerRecord::value).toList();
            assertEquals(acknowledged, read, "every acknowledged record, once, in order");
        }
    }

    /** Sends records i..n-1 one at a time, waiting for each acknowledgement. */
    private static void sendAll(KafkaProducer<String, String> producer, int from, int to, List<String> acknowledged)
            throws InterruptedException, ExecutionException {
        for (int i = from; i < to; i++) {
            String value = "event-" + i;
            producer.send(new ProducerRecord<>(TOPIC, "key-" + i, value)).get();
            acknowledged.add(value);
        }
    }
}
