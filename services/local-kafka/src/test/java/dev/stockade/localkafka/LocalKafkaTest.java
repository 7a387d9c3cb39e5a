package dev.stockade.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** The broker of {@link KafkaTestSupport} (here: the in-JVM KRaft broker) behaves as Kafka does. */
class LocalKafkaTest {

    private static KafkaTestSupport kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestSupport.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aRecordRoundTripsWithItsKeyAndValue() throws Exception {
        String topic = "round-trip-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, false);
        try (KafkaProducer<String, String> producer = Clients.producer(kafka.bootstrapServers(), null)) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, "Pod/tenant-a/web", "v1")).get();
            assertEquals(0, sent.offset());
        }
        List<ConsumerRecord<String, String>> read = Clients.readAll(kafka.bootstrapServers(), topic, 0,
                "read_uncommitted");
        assertEquals(1, read.size());
        assertEquals("Pod/tenant-a/web", read.get(0).key());
        assertEquals("v1", read.get(0).value());
    }

    @Test
    void aCommittedTransactionIsVisibleToReadCommittedAndAnAbortedOneIsNot() {
        String topic = "transactions-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, false);
        try (KafkaProducer<String, String> producer = Clients.producer(kafka.bootstrapServers(), "tx-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }
        List<String> committed = values(Clients.readAll(kafka.bootstrapServers(), topic, 0, "read_committed"));
        assertEquals(List.of("committed-1", "committed-2"), committed);
        List<String> uncommitted = values(Clients.readAll(kafka.bootstrapServers(), topic, 0,
                "read_uncommitted"));
        assertEquals(List.of("committed-1", "committed-2", "aborted"), uncommitted);
    }

    @Test
    void closingTheBrokerDeletesItsDirectory() throws Exception {
        LocalKafka own = LocalKafka.start();
        own.createTopic("compacted", 1, true);
        own.createTopic("compacted", 1, true);
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countKafkaDirs(dir);
        own.close();
        assertEquals(before - 1, countKafkaDirs(dir));
    }

    private static long countKafkaDirs(Path tmp) throws Exception {
        try (var list = Files.list(tmp)) {
            return list.filter(p -> p.getFileName().toString().startsWith("stockade-kafka-")).count();
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
