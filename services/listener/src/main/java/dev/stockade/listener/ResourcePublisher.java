package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kube.KubeObjectTrimmer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Writes the cluster's objects to the compacted {@code stockade.resources} topic: key
 * {@link ResourceKey#encode()}, value a {@link ResourceRecord} holding the trimmed object, a
 * tombstone (null value) for a deletion.
 *
 * <p>Remembers per key the {@link Fingerprint} of the last record it sent (or found on the topic
 * at reconcile), and sends nothing when an object has not changed. A send that fails after the
 * producer's own retries is kept and sent again by {@link #retryFailed()} (unless a newer record
 * for the key superseded it); until every failed send has been repeated successfully
 * {@link #healthy()} is false. Nothing is dropped silently.
 *
 * <p>Threading: {@link #upsert}, {@link #delete}, {@link #seed}, {@link #forget} and
 * {@link #retryFailed} are called from one thread (the listener's worker); producer callbacks
 * touch only the concurrent parts.
 */
public final class ResourcePublisher {

    /** What a call did. */
    public enum Outcome { SENT, UNCHANGED, IGNORED }

    private static final Logger LOG = Logger.getLogger(ResourcePublisher.class);

    /** A sent record: its fingerprint and its sequence number (later sends have larger ones). */
    private record Sent(Fingerprint fingerprint, long sequence) {
    }

    /**
     * A record whose send failed, to send again unless a later one for its key superseded it;
     * {@code resent} once the retry is on its way (it stays here until acknowledged).
     */
    private record Failed(ResourceKey key, byte[] value, Fingerprint fingerprint, long sequence, boolean resent) {
        Failed resentAs(long newSequence) {
            return new Failed(key, value, fingerprint, newSequence, true);
        }
    }

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final ListenerMetrics metrics;
    private final Clock clock;
    private final KubeObjectTrimmer trimmer = new KubeObjectTrimmer();
    private final Map<ResourceKey, Sent> sent = new HashMap<>();
    private final ConcurrentMap<ResourceKey, Failed> failed = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicLong failingSinceMillis = new AtomicLong(-1);

    public ResourcePublisher(Producer<String, byte[]> producer, String topic, ListenerMetrics metrics, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
        this.clock = clock;
        metrics.pendingRetries(failed::size);
    }

    /** Publishes the object (untrimmed JSON) unless its kind is not read or it has not changed. */
    public Outcome upsert(JsonNode object) {
        Optional<ObjectNode> trimmed = trimmer.trim(object);
        Optional<ResourceKey> key = trimmed.flatMap(ResourceKeys::of);
        if (key.isEmpty()) {
            return Outcome.IGNORED;
        }
        Fingerprint fingerprint = Fingerprint.of(trimmed.get());
        if (unchanged(key.get(), fingerprint)) {
            metrics.unchanged();
            return Outcome.UNCHANGED;
        }
        String resourceVersion = trimmed.get().path("metadata").path("resourceVersion").asText(null);
        byte[] value = WireJson.encode(ResourceRecord.of(resourceVersion, clock.millis(), trimmed.get()));
        send(key.get(), value, fingerprint, sequence.incrementAndGet());
        return Outcome.SENT;
    }

    /** Publishes a tombstone unless the last record for the key was one. */
    public Outcome delete(ResourceKey key) {
        if (unchanged(key, Fingerprint.TOMBSTONE)) {
            metrics.unchanged();
            return Outcome.UNCHANGED;
        }
        send(key, null, Fingerprint.TOMBSTONE, sequence.incrementAndGet());
        return Outcome.SENT;
    }

    /**
     * Starts from what the topic holds (read at reconcile): a key absent here is not on the topic
     * (or was deleted there). Pending retries of an earlier leadership are dropped: the reconcile
     * that follows decides afresh.
     */
    public void seed(Map<ResourceKey, Fingerprint> onTopic) {
        sent.clear();
        failed.clear();
        onTopic.forEach((key, fingerprint) -> sent.put(key, new Sent(fingerprint, 0)));
    }

    /** Forgets everything (leadership lost): the next leader reconciles from the topic. */
    public void forget() {
        sent.clear();
        failed.clear();
        failingSinceMillis.set(-1);
    }

    /**
     * Sends again every failed record that is still the latest for its key and not already on
     * its way again; returns how many. A retried record counts as pending until acknowledged.
     */
    public int retryFailed() {
        int retried = 0;
        for (Failed f : failed.values()) {
            Sent latest = sent.get(f.key());
            if (latest == null || latest.sequence() != f.sequence()) {
                failed.remove(f.key(), f);
            } else if (!f.resent()) {
                long seq = sequence.incrementAndGet();
                if (failed.replace(f.key(), f, f.resentAs(seq))) {
                    send(f.key(), f.value(), f.fingerprint(), seq);
                    retried++;
                }
            }
        }
        return retried;
    }

    /** Waits until every record sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** True when no send is waiting for a retry. */
    public boolean healthy() {
        return failed.isEmpty();
    }

    /** Since when (epoch ms) sends have been failing without a success; -1 when they are not. */
    public long failingSinceMillis() {
        return failingSinceMillis.get();
    }

    /** The last send error, for health details (never contains configuration). */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    /** Number of records waiting for a retry. */
    public int pendingRetries() {
        return failed.size();
    }

    private boolean unchanged(ResourceKey key, Fingerprint fingerprint) {
        Sent last = sent.get(key);
        return last != null && last.fingerprint().equals(fingerprint);
    }

    /** Sends one record as the key's latest, with sequence number {@code seq}. */
    private void send(ResourceKey key, byte[] value, Fingerprint fingerprint, long seq) {
        sent.put(key, new Sent(fingerprint, seq));
        Failed retry = new Failed(key, value, fingerprint, seq, false);
        try {
            producer.send(new ProducerRecord<>(topic, key.encode(), value), (metadata, error) -> {
                if (error == null) {
                    acknowledged(key, value == null, seq);
                } else {
                    failedSend(retry, error);
                }
            });
        } catch (RuntimeException e) {
            failedSend(retry, e);
        }
    }

    private void acknowledged(ResourceKey key, boolean tombstone, long seq) {
        failed.computeIfPresent(key, (k, pending) -> pending.sequence() <= seq ? null : pending);
        if (failed.isEmpty()) {
            failingSinceMillis.set(-1);
        }
        metrics.published(key.kind(), tombstone);
    }

    private void failedSend(Failed retry, Exception error) {
        failed.merge(retry.key(), retry, (old, now) -> now.sequence() >= old.sequence() ? now : old);
        failingSinceMillis.compareAndSet(-1, clock.millis());
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        lastError.set(message);
        metrics.sendFailed();
        LOG.warnf("send of %s to %s failed, will retry: %s", retry.key(), topic, message);
    }
}
