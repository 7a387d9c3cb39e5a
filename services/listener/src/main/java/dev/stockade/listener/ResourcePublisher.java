package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kube.KubeObjectTrimmer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
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
 * <p>A deposed leader cannot publish: every term of leadership ({@link #begin()}) starts a new
 * producer with the transactional id all replicas share, which fences every earlier producer of
 * that id (Kafka bumps the id's epoch and aborts its open transaction). Records go out in
 * transactions ({@link #commit()}); a record counts as published only when its transaction
 * committed, and a fenced producer's transactions never commit, so nothing an old leader sends
 * after the new one began becomes visible to {@code read_committed} readers (the compiler, the
 * next leader's reconcile).
 *
 * <p>Threading: {@link #upsert}, {@link #delete}, {@link #seed}, {@link #forget},
 * {@link #begin}, {@link #commit} and {@link #retryFailed} are called from one thread (the
 * listener's worker); producer callbacks touch only the concurrent parts.
 */
public final class ResourcePublisher {

    /** What a call did. */
    public enum Outcome { SENT, UNCHANGED, IGNORED }

    /**
     * How a {@link #commit()} ended: nothing was open; the records are published; the transaction
     * failed and was aborted (its records wait for a retry); this term's producer is fenced (another
     * replica began a newer term), so this replica must stop publishing; or the producer is
     * unusable for another reason (it could not abort), so the term must begin again (a new
     * producer, a reconcile).
     */
    public enum Commit { NOTHING, COMMITTED, FAILED, FENCED, LOST }

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

    private final Supplier<Producer<String, byte[]>> producers;
    private final String topic;
    private final ListenerMetrics metrics;
    private final Clock clock;
    private final KubeObjectTrimmer trimmer = new KubeObjectTrimmer();
    private final Map<ResourceKey, Sent> sent = new HashMap<>();
    private final ConcurrentMap<ResourceKey, Failed> failed = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicLong failingSinceMillis = new AtomicLong(-1);
    /** This term's producer; null between terms. */
    private Producer<String, byte[]> producer;
    /** The records of the open transaction, as retries should it fail; empty when none is open. */
    private final List<Failed> uncommitted = new ArrayList<>();
    private boolean inTransaction;
    private boolean fenced;

    /**
     * @param producers makes a term's producer; each must be transactional with the same
     *                  {@code transactional.id} as every other replica's
     */
    public ResourcePublisher(Supplier<Producer<String, byte[]>> producers, String topic, ListenerMetrics metrics,
                             Clock clock) {
        this.producers = producers;
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

    /**
     * Forgets everything and ends the term (leadership lost, or fenced): an open transaction is
     * aborted, the producer closed; the next leader reconciles from the topic.
     */
    public void forget() {
        sent.clear();
        failed.clear();
        failingSinceMillis.set(-1);
        end();
    }

    /**
     * Begins a term of leadership: a new producer whose {@code initTransactions} fences every
     * earlier producer with the shared transactional id and aborts its open transaction, so what
     * the previous leader had not committed never becomes visible. Throws when the broker cannot
     * be reached (the caller retries).
     */
    public void begin() {
        end();
        Producer<String, byte[]> next = producers.get();
        try {
            next.initTransactions();
        } catch (RuntimeException e) {
            next.close(Duration.ZERO);
            throw e;
        }
        producer = next;
        fenced = false;
    }

    /** A term has begun and is not over. */
    public boolean begun() {
        return producer != null;
    }

    /** A transaction is open: its records wait for {@link #commit()}. */
    public boolean inTransaction() {
        return inTransaction;
    }

    /**
     * Commits the open transaction: its records count as published. On a failure the transaction
     * is aborted and its records wait for a retry; when this term's producer was fenced (or can no
     * longer abort), the term is over: FENCED, and the caller stops publishing.
     */
    public Commit commit() {
        if (!inTransaction) {
            return fenced ? Commit.FENCED : Commit.NOTHING;
        }
        List<Failed> records = List.copyOf(uncommitted);
        uncommitted.clear();
        inTransaction = false;
        try {
            if (fenced) {
                throw new ProducerFencedException("fenced during the transaction");
            }
            producer.commitTransaction();
            records.forEach(record -> acknowledged(record.key(), record.value() == null, record.sequence()));
            return Commit.COMMITTED;
        } catch (KafkaException e) {
            if (isFenced(e)) {
                return fencedBy(e);
            }
            records.forEach(record -> failedSend(record, e));
            try {
                producer.abortTransaction();
                return Commit.FAILED;
            } catch (KafkaException abortFailure) {
                if (isFenced(abortFailure)) {
                    return fencedBy(abortFailure);
                }
                LOG.warnf("this listener's producer cannot abort, its term begins again: %s", abortFailure.getMessage());
                lastError.set(abortFailure.getClass().getSimpleName() + ": " + abortFailure.getMessage());
                end();
                return Commit.LOST;
            }
        }
    }

    private Commit fencedBy(KafkaException e) {
        LOG.warnf("this listener's producer is fenced or unusable, its term is over: %s", e.getMessage());
        fenced = true;
        lastError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
        end();
        return Commit.FENCED;
    }

    private static boolean isFenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** Ends the term: aborts an open transaction (unless fenced: the fencer already did) and closes the producer. */
    private void end() {
        if (producer != null) {
            try {
                if (inTransaction && !fenced) {
                    producer.abortTransaction();
                }
            } catch (KafkaException e) {
                LOG.debugf("aborting the open transaction at the end of a term: %s", e.getMessage());
            }
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (KafkaException e) {
                LOG.debugf("closing the producer: %s", e.getMessage());
            }
            producer = null;
        }
        inTransaction = false;
        uncommitted.clear();
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

    /** Commits what was sent so far (see {@link #commit()}); then every record is published or waits for a retry. */
    public Commit flush() {
        return commit();
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
        if (producer == null) {
            failedSend(retry, new IllegalStateException("no term of leadership has begun"));
            return;
        }
        try {
            if (!inTransaction) {
                producer.beginTransaction();
                inTransaction = true;
            }
            uncommitted.add(retry);
            producer.send(new ProducerRecord<>(topic, key.encode(), value), (metadata, error) -> {
                if (error != null) {
                    lastError.set(error.getClass().getSimpleName() + ": " + error.getMessage());
                }
            });
        } catch (KafkaException e) {
            if (isFenced(e)) {
                fenced = true;
            }
            if (!inTransaction) {
                failedSend(retry, e);
            }
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
