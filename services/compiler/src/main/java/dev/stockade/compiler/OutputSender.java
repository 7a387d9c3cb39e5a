package dev.stockade.compiler;

import dev.stockade.events.v1.RulesTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
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
    private KafkaProducer<String, byte[]> producer;

    OutputSender(CompilerSettings settings) {
        this.settings = settings;
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
     * Sends the outputs and commits the next offset of each input partition given, atomically, as
     * a member of {@code group} (the loop's consumer), each offset carrying {@code owner} (the
     * committing term's owner token) as its metadata; retries transient failures. False when this
     * replica was fenced (another one is active) or the producer is gone.
     */
    boolean send(List<Outputs.Output> outputs, Map<TopicPartition, Long> nextOffsets, ConsumerGroupMetadata group,
                 String owner) {
        for (int attempt = 1; attempt <= ATTEMPTS && producer != null; attempt++) {
            try {
                producer.beginTransaction();
                outputs.forEach(output -> producer.send(record(output)));
                Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
                nextOffsets.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset, owner)));
                producer.sendOffsetsToTransaction(offsets, group);
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
