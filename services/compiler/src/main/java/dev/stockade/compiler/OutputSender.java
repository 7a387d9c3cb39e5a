package dev.stockade.compiler;

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
        for (int attempt = 1; attempt <= ATTEMPTS && producer != null; attempt++) {
            try {
                producer.beginTransaction();
                outputs.forEach(output -> producer.send(new ProducerRecord<>(output.topic(), output.key(), output.value())));
                producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(nextOffset)), consumer.groupMetadata());
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
}
