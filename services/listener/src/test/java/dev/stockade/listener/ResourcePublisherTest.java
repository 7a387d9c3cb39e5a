package dev.stockade.listener;

import static dev.stockade.listener.Objects.json;
import static dev.stockade.listener.Objects.legacyPolicy;
import static dev.stockade.listener.Objects.namespace;
import static dev.stockade.listener.Objects.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.model.ResourceKind;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourcePublisherTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_795_785_600_000L), ZoneOffset.UTC);
    private static final ResourceKey POD_KEY = new ResourceKey(ResourceKind.POD, "tenant-a", "web-1");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The current term's producer (each term gets a new one). */
    private MockProducer<String, byte[]> producer;
    private final ResourcePublisher publisher = new ResourcePublisher(() -> {
        producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        return producer;
    }, "stockade.resources", new ListenerMetrics(registry), CLOCK);

    @BeforeEach
    void term() {
        publisher.begin();
    }

    @Test
    void anObjectIsPublishedTrimmedUnderItsKindNamespaceNameKey() throws Exception {
        ObjectNode pod = pod("tenant-a", "web-1", "frontend", "41");
        assertEquals(ResourcePublisher.Outcome.SENT, publisher.upsert(pod));
        assertEquals(0.0, published("Pod", "upsert"), "not published before its transaction commits");
        assertEquals(ResourcePublisher.Commit.COMMITTED, publisher.commit());
        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertEquals("stockade.resources", sent.topic());
        assertEquals("Pod/tenant-a/web-1", sent.key());
        ResourceRecord record = WireJson.decodeResource(sent.value());
        assertEquals("41", record.resourceVersion());
        assertEquals(CLOCK.millis(), record.observedAtMillis());
        assertTrue(record.object().path("metadata").path("managedFields").isMissingNode(), "trimmed");
        assertTrue(record.object().path("status").path("conditions").isMissingNode(), "trimmed");
        assertEquals(1.0, published("Pod", "upsert"));
    }

    @Test
    void anUnchangedObjectIsNotPublishedAgainEvenWithANewResourceVersion() {
        publisher.upsert(pod("tenant-a", "web-1", "frontend", "41"));
        ObjectNode statusOnlyChange = pod("tenant-a", "web-1", "frontend", "42");
        ((ObjectNode) statusOnlyChange.path("status")).putArray("conditions").addObject().put("type", "Ready");
        assertEquals(ResourcePublisher.Outcome.UNCHANGED, publisher.upsert(statusOnlyChange));
        assertEquals(ResourcePublisher.Outcome.SENT, publisher.upsert(pod("tenant-a", "web-1", "backend", "43")));
        publisher.commit();
        assertEquals(2, producer.history().size());
        assertEquals(1, producer.commitCount(), "one transaction for what was sent together");
    }

    @Test
    void aDeleteIsATombstoneAndASecondDeleteOfTheSameKeyIsNotRepeated() {
        publisher.upsert(legacyPolicy("tenant-a", "pol1"));
        ResourceKey key = new ResourceKey(ResourceKind.LEGACY_NETWORK_POLICY, "tenant-a", "pol1");
        assertEquals(ResourcePublisher.Outcome.SENT, publisher.delete(key));
        assertEquals(ResourcePublisher.Outcome.UNCHANGED, publisher.delete(key));
        publisher.commit();
        assertEquals("LegacyNetworkPolicy/tenant-a/pol1", producer.history().get(1).key());
        assertNull(producer.history().get(1).value());
        assertEquals(1.0, published("LegacyNetworkPolicy", "tombstone"));
    }

    @Test
    void kindsStockadeDoesNotReadAreIgnored() {
        assertEquals(ResourcePublisher.Outcome.IGNORED, publisher.upsert(json("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"x"}}""")));
        assertEquals(ResourcePublisher.Commit.NOTHING, publisher.commit());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void aFailedTransactionMakesThePublisherUnhealthyUntilItsRetryCommits() {
        publisher.upsert(namespace("tenant-a", "on"));
        producer.commitTransactionException = new TimeoutException("expired");
        assertEquals(ResourcePublisher.Commit.FAILED, publisher.commit());
        assertTrue(producer.transactionAborted());
        assertFalse(publisher.healthy());
        assertEquals(1.0, registry.get("stockade.listener.send.failures").counter().count());
        assertTrue(publisher.lastError().orElseThrow().contains("expired"));

        producer.commitTransactionException = null;
        assertEquals(1, publisher.retryFailed());
        assertFalse(publisher.healthy(), "still pending until committed");
        assertEquals(ResourcePublisher.Commit.COMMITTED, publisher.commit());
        assertTrue(publisher.healthy());
        assertEquals(1, producer.history().size(), "the aborted transaction's record is not visible");
        assertEquals("Namespace//tenant-a", producer.history().get(0).key());
    }

    @Test
    void aFailedSendSupersededByANewerRecordForItsKeyIsNotRetried() {
        publisher.upsert(pod("tenant-a", "web-1", "frontend", "1"));
        producer.commitTransactionException = new TimeoutException("expired");
        assertEquals(ResourcePublisher.Commit.FAILED, publisher.commit());
        producer.commitTransactionException = null;
        publisher.delete(POD_KEY);
        assertEquals(ResourcePublisher.Commit.COMMITTED, publisher.commit());
        assertTrue(publisher.healthy(), "the later tombstone was committed");
        assertEquals(0, publisher.retryFailed());
        assertEquals(1, producer.history().size());
    }

    @Test
    void aFencedProducerPublishesNothingAndEndsTheTerm() {
        publisher.upsert(pod("tenant-a", "web-1", "frontend", "1"));
        producer.fenceProducer();
        assertEquals(ResourcePublisher.Commit.FENCED, publisher.commit());
        assertFalse(publisher.begun(), "the term is over");
        assertTrue(producer.history().isEmpty());
        assertEquals(0.0, published("Pod", "upsert"));
    }

    @Test
    void aProducerThatCannotAbortEndsTheTermToBeginAgain() {
        publisher.upsert(pod("tenant-a", "web-1", "frontend", "1"));
        producer.commitTransactionException = new org.apache.kafka.common.KafkaException("broken");
        producer.abortTransactionException = new org.apache.kafka.common.KafkaException("cannot abort");
        assertEquals(ResourcePublisher.Commit.LOST, publisher.commit());
        assertFalse(publisher.begun(), "the term is over; the pipeline begins a new one and reconciles");
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void seedingFromTheTopicMakesEqualObjectsUnchanged() {
        ObjectNode pod = pod("tenant-a", "web-1", "frontend", "1");
        Fingerprint onTopic = Fingerprint.of(new dev.stockade.kube.KubeObjectTrimmer().trim(pod).orElseThrow());
        publisher.seed(Map.of(POD_KEY, onTopic));
        assertEquals(ResourcePublisher.Outcome.UNCHANGED, publisher.upsert(pod));
        publisher.forget();
        assertFalse(publisher.begun(), "forgetting ends the term");
        publisher.begin();
        assertEquals(ResourcePublisher.Outcome.SENT, publisher.upsert(pod));
    }

    private double published(String kind, String op) {
        return registry.get("stockade.listener.events.published").tag("kind", kind).tag("op", op).counter().count();
    }
}
