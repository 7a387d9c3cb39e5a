package dev.stockade.localkafka;

import java.util.HashMap;
import java.util.Map;

/**
 * Broker settings that let Kafka run inside a test or demo JVM with a small heap. Each one
 * differs from Kafka's default only where the default assumes a dedicated production machine.
 */
public final class SmallFootprint {

    private SmallFootprint() {
    }

    /**
     * For a one-node cluster: internal topics (consumer offsets, transaction state, share-group
     * state) with one partition, replication factor 1 and min ISR 1, so that groups and
     * transactions work with a single broker.
     */
    public static Map<String, String> singleNode() {
        Map<String, String> p = common();
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        return p;
    }

    /**
     * For a cluster of three nodes or more that must stay writable when one is lost: topics
     * (unless they say otherwise) and the internal ones (consumer offsets, transaction state,
     * share-group state) with replication factor 3 and min ISR 2, so that an {@code acks=all}
     * write needs two copies; no unclean leader election (a replica that is not in sync never
     * becomes leader and loses acknowledged records).
     */
    public static Map<String, String> replicated() {
        Map<String, String> p = common();
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("offsets.topic.replication.factor", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("unclean.leader.election.enable", "false");
        return p;
    }

    /** Settings for every broker whatever the cluster size: threads, buffers, fast group joins. */
    public static Map<String, String> common() {
        Map<String, String> p = new HashMap<>();
        // The cleaner's 128 MB default dedupe buffer is allocated up front and OOMs a small heap.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("background.threads", "2");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        // A consumer group with one member need not wait 3 s for others to join.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        return p;
    }
}
