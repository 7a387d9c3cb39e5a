package dev.stockade.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One thing a Kafka client tries — write a record, read a topic with or without a consumer group,
 * write in a transaction — and what came of it: {@link Outcome#done()}, or refused by the broker
 * (an {@link AuthorizationException} or {@link AuthenticationException} somewhere in the cause
 * chain). Anything else (a timeout, a bug) fails the test: "not refused" must mean "done".
 * A read counts as done only once a record came back, so every topic read must hold one.
 */
final class KafkaAccess {

    private static final Duration LIMIT = Duration.ofSeconds(15);

    /** Done, or refused with the exception that said so (its message, for the secrets check). */
    record Outcome(boolean done, String refusal, String refusalText) {
        static final Outcome DONE = new Outcome(true, null, null);

        @Override
        public String toString() {
            return done ? "done" : "refused (" + refusal + ")";
        }
    }

    @FunctionalInterface
    interface Attempt {
        void run() throws Exception;
    }

    private KafkaAccess() {
    }

    /** Runs the attempt; done, refused, or an AssertionError for anything else. */
    static Outcome attempt(Attempt attempt) {
        try {
            attempt.run();
            return Outcome.DONE;
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(trace));
                    return new Outcome(false, cause.getClass().getSimpleName(), trace.toString());
                }
            }
            throw new AssertionError("neither done nor refused: " + e, e);
        }
    }

    /** Sends one record (null value: a tombstone) and waits for the broker's acknowledgement. */
    static void write(Map<String, Object> producerConfig, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Sends one record in a transaction and waits for its acknowledgement, then aborts: the broker
     * has authorized the transactional id, the partition's addition to the transaction and the
     * write, and read_committed consumers (the services) never see the record.
     */
    static void writeInTransaction(Properties producerConfig, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                producer.send(new ProducerRecord<>(topic, key, value)).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException ignored) {
                    // a refused write leaves the transaction in an error state; closing is enough
                }
            }
        }
    }

    /** Reads partition 0 from its beginning, without a consumer group, until a record comes back. */
    static void readWithoutGroup(Map<String, Object> consumerConfig, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            awaitRecord(consumer, topic);
        }
    }

    /** Joins {@code group} on {@code topic} (subscribe), reads until a record comes back, commits. */
    static void readInGroup(Properties consumerConfig, String group, String topic) {
        Properties config = new Properties();
        config.putAll(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            awaitRecord(consumer, topic);
            consumer.commitSync(LIMIT);
        }
    }

    private static void awaitRecord(KafkaConsumer<String, byte[]> consumer, String topic) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no record of " + topic + " came back within " + LIMIT);
            }
        }
    }
}
