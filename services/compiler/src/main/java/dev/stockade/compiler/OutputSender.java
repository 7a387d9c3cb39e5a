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
    private final ConsumerGroupMetadata group;
    private KafkaProducer<String, byte[]> producer;

    OutputSender(CompilerSettings settings) {
        this.settings = settings;
        this.group = new ConsumerGroupMetadata(settings.groupId());
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
     * Sends the outputs and commits the next offset of each input partition given, atomically,
     * each offset carrying {@code owner} (the committing term's owner token) as its metadata;
     * retries transient failures with a growing pause.
     *
     * <p>The offsets are committed for the group by its id alone, without the loop consumer's
     * member id and generation. Fencing does not need them: every replica shares one
     * transactional id, so each take-over's {@code initTransactions} fences the previous active's
     * producer (and the owner token fences its state writes). The generation would only add a
     * refusal each time a standby joins or leaves: that bumps the generation without moving the
     * partition (cooperative assignment), and the active's batch in flight, sent under the old
     * generation, was refused ("consumer group metadata mismatch") until its consumer had
     * rejoined, which it cannot do while the loop waits for that very batch.
     */
    CommitOutcome send(List<Outputs.Output> outputs, Map<TopicPartition, Long> nextOffsets, String owner) {
        for (int attempt = 1; attempt <= ATTEMPTS && producer != null; attempt++) {
            try {
                producer.beginTransaction();
                outputs.forEach(output -> producer.send(record(output)));
                Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
                nextOffsets.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset, owner)));
                producer.sendOffsetsToTransaction(offsets, group);
                producer.commitTransaction();
                return CommitOutcome.COMMITTED;
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                LOG.warning("fenced by a newer compiler replica: " + e.getMessage());
                stop();
                return CommitOutcome.FENCED;
            } catch (KafkaException e) {
                LOG.warning("transaction attempt " + attempt + " of " + ATTEMPTS + " failed: " + e.getMessage());
                try {
                    producer.abortTransaction();
                } catch (KafkaException abortFailure) {
                    start();
                }
                pause(attempt);
            }
        }
        return producer == null ? CommitOutcome.FENCED : CommitOutcome.FAILED;
    }

    /** 100, 200, 400, 800 ms: long enough for the loop's consumer to finish a rejoin. */
    private static void pause(int attempt) {
        if (attempt < ATTEMPTS) {
            try {
                Thread.sleep(100L << (attempt - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ProducerRecord<String, byte[]> record(Outputs.Output output) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(output.topic(), output.key(), output.value());
        if (output.type() != null) {
            record.headers().add(RulesTopic.TYPE_HEADER, output.type().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
