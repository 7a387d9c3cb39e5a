package dev.stockade.demo;

import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each node's agent ACKed each generation (the agent ACKs a generation once its reconciler
 * realized it: with nftables, once the kernel holds the rules). Wall-clock instants, so they compare
 * with a manifest file's modification time.
 */
public final class AckLog {

    private final Map<String, NavigableMap<Long, Instant>> acks = new ConcurrentHashMap<>();

    /** Notes that {@code node} ACKed {@code generation} now. */
    void acked(String node, long generation) {
        NavigableMap<Long, Instant> log = acks.computeIfAbsent(node, key -> new TreeMap<>());
        synchronized (log) {
            log.putIfAbsent(generation, Instant.now());
        }
    }

    /** When {@code node} first ACKed {@code generation} or a later one; empty when it has not yet. */
    public Optional<Instant> ackedAtOrAfter(String node, long generation) {
        NavigableMap<Long, Instant> log = acks.get(node);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            return log.tailMap(generation, true).values().stream().min(Instant::compareTo);
        }
    }
}
