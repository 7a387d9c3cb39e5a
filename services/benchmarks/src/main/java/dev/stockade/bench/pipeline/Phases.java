package dev.stockade.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The measured phases of the pipeline benchmark. Every phase sends with the listener's producer
 * settings; time runs from just before the first send to the moment the last record (or its
 * delta) is readable by a read_committed consumer.
 */
public final class Phases {

    /** Latency percentiles in milliseconds over {@code count} records. */
    public record Latency(int count, int missing, double p50, double p90, double p99, double max) {
    }

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private Phases() {
    }

    /** Producer → consumer of the records on {@code topic}: records/s. */
    public static double raw(String bootstrap, String topic, List<BenchRecords.Entry> records) throws Exception {
        AtomicLong lastReadAt = new AtomicLong();
        Thread reader = new Thread(() -> readAll(bootstrap, topic, records.size(), lastReadAt), "raw-reader");
        reader.start();
        long start;
        try (KafkaProducer<String, byte[]> producer = BenchClients.listenerProducer(bootstrap)) {
            producer.partitionsFor(topic);
            start = System.nanoTime();
            records.forEach(entry -> producer.send(new ProducerRecord<>(topic, 0, entry.key(), entry.value())));
            producer.flush();
        }
        reader.join(TIMEOUT.toMillis());
        if (lastReadAt.get() == 0) {
            throw new IllegalStateException("the raw reader did not read " + records.size() + " records");
        }
        return records.size() / seconds(lastReadAt.get() - start);
    }

    private static void readAll(String bootstrap, String topic, int expected, AtomicLong lastReadAt) {
        try (KafkaConsumer<String, byte[]> consumer = BenchClients.reader(bootstrap, topic, false)) {
            int read = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (read < expected && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            if (read >= expected) {
                lastReadAt.set(System.nanoTime());
            }
        }
    }

    /**
     * The records through the compiler: from the first send until the last record's first delta is
     * readable on the rules topic; events/s. {@code firstOffset} is the resources offset the first
     * record will get.
     */
    public static double pipeline(String bootstrap, String topic, RulesWatcher watcher, long firstOffset,
                                  List<BenchRecords.Entry> records) throws Exception {
        long last = firstOffset + records.size() - 1;
        long start;
        Future<RecordMetadata> lastSend = null;
        try (KafkaProducer<String, byte[]> producer = BenchClients.listenerProducer(bootstrap)) {
            producer.partitionsFor(topic);
            start = System.nanoTime();
            for (BenchRecords.Entry entry : records) {
                lastSend = producer.send(new ProducerRecord<>(topic, 0, entry.key(), entry.value()));
            }
            producer.flush();
            if (lastSend.get().offset() != last) {
                throw new IllegalStateException("expected the last record at offset " + last + ", it is at "
                        + lastSend.get().offset());
            }
        }
        return records.size() / seconds(watcher.awaitSource(last, TIMEOUT) - start);
    }

    /**
     * Sends one record every {@code 1000 / rate} ms for {@code seconds} s and times each from just
     * before its send to its first delta being readable.
     */
    public static Latency latency(String bootstrap, String topic, RulesWatcher watcher, List<BenchRecords.Entry> records,
                                  int rate) throws Exception {
        ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
        long period = 1_000_000_000L / rate;
        try (KafkaProducer<String, byte[]> producer = BenchClients.listenerProducer(bootstrap)) {
            producer.partitionsFor(topic);
            long next = System.nanoTime();
            for (BenchRecords.Entry entry : records) {
                sleepUntil(next);
                long before = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, entry.key(), entry.value()), (metadata, failure) -> {
                    if (failure == null) {
                        sentAt.put(metadata.offset(), before);
                    }
                });
                next += period;
            }
            producer.flush();
        }
        Thread.sleep(2000);
        return percentiles(sentAt, watcher);
    }

    private static Latency percentiles(ConcurrentHashMap<Long, Long> sentAt, RulesWatcher watcher) {
        List<Double> millis = new ArrayList<>();
        int missing = 0;
        for (var sent : sentAt.entrySet()) {
            Long seen = watcher.firstSeen(sent.getKey());
            if (seen == null) {
                missing++;
            } else {
                millis.add((seen - sent.getValue()) / 1e6);
            }
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Latency(sorted.length, missing, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static double at(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
