package dev.stockade.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every partition of a topic from its beginning to the end it had when the read started —
 * no consumer group (assign + seek), no commits, read_committed ({@link ResourceLog#properties}).
 * Records arrive in each partition's order.
 */
final class TopicReader {

    private TopicReader() {
    }

    /** Throws IllegalArgumentException when the topic does not exist, IllegalStateException when reading stalls. */
    static void readAll(String bootstrap, String topic, Map<String, String> extra,
                        Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(ResourceLog.properties(bootstrap, extra))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + bootstrap);
            }
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long lastProgress = System.nanoTime();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                var records = consumer.poll(Duration.ofMillis(200));
                records.forEach(sink);
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > ResourceLog.STALL.toNanos()) {
                    throw new IllegalStateException("no progress reading " + topic + " for " + ResourceLog.STALL.toSeconds()
                            + " s (broker unreachable, or a transaction left open?)");
                }
            }
        }
    }
}
