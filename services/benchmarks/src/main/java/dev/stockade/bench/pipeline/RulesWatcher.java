package dev.stockade.bench.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads {@code stockade.rules} as an agent's dispatcher would (read_committed, every partition,
 * from the end when started) and notes, per source offset, when its first delta became readable
 * ({@link System#nanoTime()}). Only {@code sourceOffset} is read from each value, by a byte scan,
 * so the watcher takes as little CPU as possible from the pipeline it measures.
 */
public final class RulesWatcher implements Runnable, AutoCloseable {

    private static final byte[] FIELD = "\"sourceOffset\":".getBytes(StandardCharsets.US_ASCII);

    private final KafkaConsumer<String, byte[]> consumer;
    private final ConcurrentSkipListMap<Long, Long> firstSeen = new ConcurrentSkipListMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long target = Long.MAX_VALUE;
    private volatile long targetSeenAt;
    private final java.util.concurrent.atomic.AtomicLong deltas = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    private RulesWatcher(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
        this.thread = new Thread(this, "rules-watcher");
        thread.setDaemon(true);
    }

    /** Starts watching deltas published from now on. */
    public static RulesWatcher start(String bootstrap, String topic) {
        RulesWatcher watcher = new RulesWatcher(BenchClients.reader(bootstrap, topic, true));
        watcher.thread.start();
        return watcher;
    }

    /** Deltas read so far. */
    public long deltas() {
        return deltas.get();
    }

    /** Bytes of delta values read so far. */
    public long bytes() {
        return bytes.get();
    }

    /**
     * When the first delta covering the resources record at {@code sourceOffset} became readable;
     * null when none has (yet). The compiler gives a batch's deltas the batch's last offset, so that
     * is the first delta of a source offset at or after it (a record whose own batch gave no delta
     * is timed to a later batch's).
     */
    public Long firstSeen(long sourceOffset) {
        Map.Entry<Long, Long> covering = firstSeen.ceilingEntry(sourceOffset);
        return covering == null ? null : covering.getValue();
    }

    /**
     * Waits until a delta of a source offset at or after {@code offset} has been read; returns the
     * nanoTime it was read at.
     */
    public long awaitSource(long offset, Duration timeout) throws InterruptedException {
        targetSeenAt = 0;
        target = offset;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (targetSeenAt == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no delta of source offset " + offset + " within " + timeout);
            }
            Thread.sleep(1);
        }
        return targetSeenAt;
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    long source = sourceOffset(record.value());
                    deltas.incrementAndGet();
                    bytes.addAndGet(record.value().length);
                    firstSeen.putIfAbsent(source, now);
                    if (source >= target && targetSeenAt == 0) {
                        targetSeenAt = now;
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        }
    }

    /** The {@code sourceOffset} field of a RuleDeltaRecord's JSON; -1 when absent. */
    static long sourceOffset(byte[] json) {
        outer:
        for (int i = 0; i + FIELD.length < json.length; i++) {
            for (int j = 0; j < FIELD.length; j++) {
                if (json[i + j] != FIELD[j]) {
                    continue outer;
                }
            }
            long value = 0;
            for (int k = i + FIELD.length; k < json.length && json[k] >= '0' && json[k] <= '9'; k++) {
                value = value * 10 + (json[k] - '0');
            }
            return value;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
