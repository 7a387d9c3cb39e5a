package dev.stockade.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The Testcontainers path of {@link KafkaTestSupport}; skipped (not failed) without Docker. */
class ContainerKafkaTest {

    @Test
    void aRecordRoundTripsThroughAKafkaContainer() throws Exception {
        assumeTrue(KafkaTestSupport.containersAvailable(), "no Docker engine here: the container path is skipped");
        try (KafkaTestSupport kafka = KafkaTestSupport.startContainer()) {
            kafka.createTopic("container-round-trip", 1, false);
            try (KafkaProducer<String, String> producer = Clients.producer(kafka.bootstrapServers(), null)) {
                producer.send(new ProducerRecord<>("container-round-trip", "k", "v")).get();
            }
            assertEquals("v", Clients.readAll(kafka.bootstrapServers(), "container-round-trip", 0, "read_committed")
                    .get(0).value());
        }
    }
}
