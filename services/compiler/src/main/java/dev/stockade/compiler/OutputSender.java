package dev.stockade.compiler;

import dev.stockade.events.v1.RulesTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * The active replica's transactional producer: sends a batch's outputs and its input offset in
 * one transaction. The transactional id is shared by all replicas, so starting a producer fences
 * any previous active's producer and aborts its open transaction.
 */
final class OutputSender {

    private static final Logger LOG = Logger.getLogger(OutputSender.class.getName());
    private static final int ATTEMPTS = 5;

    private final CompilerSettings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;

    OutputSender(CompilerSettings settings, KafkaConsumer<String, byte[]> consumer) {
        this.settings = settings;
        this.consumer = consumer;
    }

    void start() {
        stop();
        producer = new KafkaProducer<>(KafkaClients.transactionalProducer(settings));
        producer.initTransactions();
    }

    void stop() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /**
     * Sends the outputs and commits {@code nextOffset} atomically; retries transient failures.
     * False when this replica was fenced (another one is active) or the producer is gone.
     */
    boolean send(List<Outputs.Output> outputs, TopicPartition input, long nextOffset) {
        return send(outputs, Map.of(input, nextOffset));
    }

    /** As above, committing the next offset of each input partition given. */
    boolean send(List<Outputs.Output> outputs, Map<TopicPartition, Long> nextOffsets) {
        for (int attempt = 1; attempt <= ATTEMPTS && producer != null; attempt++) {
            try {
                producer.beginTransaction();
                outputs.forEach(output -> producer.send(record(output)));
                Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
                nextOffsets.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                return true;
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                LOG.warning("fenced by a newer compiler replica: " + e.getMessage());
                stop();
                return false;
            } catch (KafkaException e) {
                LOG.warning("transaction attempt " + attempt + " failed: " + e.getMessage());
                try {
                    producer.abortTransaction();
                } catch (KafkaException abortFailure) {
                    start();
                }
            }
        }
        return false;
    }

    private static ProducerRecord<String, byte[]> record(Outputs.Output output) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(output.topic(), output.key(), output.value());
        if (output.type() != null) {
            record.headers().add(RulesTopic.TYPE_HEADER, output.type().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
