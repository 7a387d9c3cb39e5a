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
import org.junit.jupiter.api.Test;

class ResourcePublisherTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_795_785_600_000L), ZoneOffset.UTC);
    private static final ResourceKey POD_KEY = new ResourceKey(ResourceKind.POD, "tenant-a", "web-1");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final ResourcePublisher publisher =
            new ResourcePublisher(producer, "stockade.resources", new ListenerMetrics(registry), CLOCK);

    @Test
    void anObjectIsPublishedTrimmedUnderItsKindNamespaceNameKey() throws Exception {
        ObjectNode pod = pod("tenant-a", "web-1", "frontend", "41");
        assertEquals(ResourcePublisher.Outcome.SENT, publisher.upsert(pod));
        producer.completeNext();
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
        assertEquals(2, producer.history().size());
    }

    @Test
    void aDeleteIsATombstoneAndASecondDeleteOfTheSameKeyIsNotRepeated() {
        publisher.upsert(legacyPolicy("tenant-a", "pol1"));
        ResourceKey key = new ResourceKey(ResourceKind.LEGACY_NETWORK_POLICY, "tenant-a", "pol1");
        assertEquals(ResourcePublisher.Outcome.SENT, publisher.delete(key));
        assertEquals(ResourcePublisher.Outcome.UNCHANGED, publisher.delete(key));
        producer.completeNext();
        producer.completeNext();
        assertEquals("LegacyNetworkPolicy/tenant-a/pol1", producer.history().get(1).key());
        assertNull(producer.history().get(1).value());
        assertEquals(1.0, published("LegacyNetworkPolicy", "tombstone"));
    }

    @Test
    void kindsStockadeDoesNotReadAreIgnored() {
        assertEquals(ResourcePublisher.Outcome.IGNORED, publisher.upsert(json("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"x"}}""")));
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void aFailedSendMakesThePublisherUnhealthyUntilItsRetrySucceeds() {
        publisher.upsert(namespace("tenant-a", "on"));
        producer.errorNext(new TimeoutException("expired"));
        assertFalse(publisher.healthy());
        assertEquals(1.0, registry.get("stockade.listener.send.failures").counter().count());
        assertTrue(publisher.lastError().orElseThrow().contains("expired"));

        assertEquals(1, publisher.retryFailed());
        assertFalse(publisher.healthy(), "still pending until acknowledged");
        producer.completeNext();
        assertTrue(publisher.healthy());
        assertEquals(2, producer.history().size());
        assertEquals(producer.history().get(0).key(), producer.history().get(1).key());
    }

    @Test
    void aFailedSendSupersededByANewerRecordForItsKeyIsNotRetried() {
        publisher.upsert(pod("tenant-a", "web-1", "frontend", "1"));
        publisher.delete(POD_KEY);
        producer.errorNext(new TimeoutException("expired"));
        producer.completeNext();
        assertTrue(publisher.healthy(), "the later tombstone was acknowledged");
        assertEquals(0, publisher.retryFailed());
        assertEquals(2, producer.history().size());
    }

    @Test
    void seedingFromTheTopicMakesEqualObjectsUnchanged() {
        ObjectNode pod = pod("tenant-a", "web-1", "frontend", "1");
        Fingerprint onTopic = Fingerprint.of(new dev.stockade.kube.KubeObjectTrimmer().trim(pod).orElseThrow());
        publisher.seed(Map.of(POD_KEY, onTopic));
        assertEquals(ResourcePublisher.Outcome.UNCHANGED, publisher.upsert(pod));
        publisher.forget();
        assertEquals(ResourcePublisher.Outcome.SENT, publisher.upsert(pod));
    }

    private double published(String kind, String op) {
        return registry.get("stockade.listener.events.published").tag("kind", kind).tag("op", op).counter().count();
    }
}
