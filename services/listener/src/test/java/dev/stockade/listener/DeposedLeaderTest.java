package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.localkafka.KafkaTestSupport;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deposed leader cannot publish. Two listener replicas against fabric8's mock API server (CRUD)
 * and a real broker. Replica A leads; then the Lease passes to replica B while A does not notice
 * (a pause longer than the renew deadline: A's leadership here never reports the loss), and A
 * keeps running with a stale view of the cluster: it publishes a pod that does not exist and
 * deletes one that does. B's term began with a producer of the shared transactional id, which
 * fenced A's: read as the compiler reads it ({@code read_committed}), nothing A sent after that is
 * on the topic, A stops publishing at its first commit, and B's records keep arriving.
 *
 * <p>And a watch that expires (ERROR 410 Gone) relists: what changed in the API server while the
 * listener had no watch open reaches the topic (a tombstone for the deleted pod, the new pod, the
 * relabelled node).
 */
class DeposedLeaderTest {

    private static final String NAMESPACE = """
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"tenant-a"}}""";
    private static final String NODE = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a1","labels":{"pool":"a"}},
             "spec":{"podCIDR":"10.244.1.0/24"}}""";

    private static KafkaTestSupport kafka;
    private String topic;
    private TopicTail tail;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestSupport.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void setUp() {
        topic = "resources-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, true);
        tail = new TopicTail(kafka.bootstrapServers(), topic);
    }

    @AfterEach
    void tearDown() {
        tail.close();
    }

    private static String pod(String name, String ip) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"tenant-a","labels":{"app":"web"}},
                 "spec":{"nodeName":"node-a1","containers":[{"name":"web","image":"nginx:1.27"}]},
                 "status":{"phase":"Running","podIP":"%s","podIPs":[{"ip":"%s"}]}}""".formatted(name, ip, ip);
    }

    @Test
    void aLeaderThatLostTheLeaseWithoutNoticingPublishesNothingVisible() throws Exception {
        try (MockApiServer api = new MockApiServer()) {
            List.of(NAMESPACE, pod("web-1", "10.244.1.10")).forEach(api::create);
            ManualSource staleView = new ManualSource();
            staleView.put(Objects.json(NAMESPACE));
            staleView.put(Objects.json(pod("web-1", "10.244.1.10")));
            AtomicBoolean toldOfLoss = new AtomicBoolean();
            Leadership deaf = new Unaware(new LeaseLeadership(api.newClient(), MockApiServer.lease("listener-a")), toldOfLoss);
            try (Replicas.Replica a = Replicas.start(staleView, deaf, kafka.bootstrapServers(), topic, "listener-a")) {
                Replicas.await("a publishes", () -> a.pipeline().publishing());
                tail.awaitLatest("a's records", t -> t.containsKey("Pod/tenant-a/web-1"));

                // The Lease passes to b (as when a pauses past its renew deadline and b acquires it).
                handLeaseTo(api, "listener-b");
                try (Replicas.Replica b = Replicas.start(new InformerSource(api.newClient()),
                        new LeaseLeadership(api.newClient(), MockApiServer.lease("listener-b")), kafka.bootstrapServers(),
                        topic, "listener-b")) {
                    Replicas.await("b leads and has reconciled", () -> b.pipeline().publishing());
                    Replicas.await("a's elector saw the Lease go", toldOfLoss::get);
                    assertTrue(a.pipeline().publishing(), "a still believes it leads");

                    // a, deposed without knowing, publishes its stale view.
                    staleView.put(Objects.json(pod("zombie", "10.244.1.66")));
                    staleView.remove(Objects.json(pod("web-1", "10.244.1.10")));
                    Replicas.await("a finds itself fenced and stops", () -> !a.pipeline().publishing());

                    api.create(pod("web-2", "10.244.1.11"));
                    tail.awaitLatest("b's record of web-2", t -> t.containsKey("Pod/tenant-a/web-2"));
                    List<TopicTail.Entry> records = tail.settle(Duration.ofSeconds(1));
                    assertEquals(List.of(), records.stream().filter(e -> e.key().equals("Pod/tenant-a/zombie")).toList(),
                            "the pod only a's stale view holds never became visible");
                    assertTrue(tail.latest().get("Pod/tenant-a/web-1").isPresent(), "a's delete of web-1 never became visible");
                    assertEquals(1, records.stream().filter(e -> e.key().equals("Pod/tenant-a/web-1")).count());
                    assertTrue(b.pipeline().publishing(), "b was not disturbed");
                }
            }
        }
    }

    @Test
    void aWatchThatExpiresRelistsAndWhatChangedMeanwhileReachesTheTopic() throws Exception {
        Gate gate = new Gate(MockApiServer.crud());
        RecordingDispatcher recorder = new RecordingDispatcher(gate);
        try (MockApiServer api = new MockApiServer(recorder)) {
            List.of(NAMESPACE, NODE, pod("web-1", "10.244.1.10"), pod("web-2", "10.244.1.11")).forEach(api::create);
            InformerSource source = new InformerSource(api.newClient("listener-0"));
            try (Replicas.Replica listener = Replicas.start(source, Leadership.sole(), kafka.bootstrapServers(), topic,
                    "listener-0")) {
                tail.awaitLatest("every object", t -> t.size() == 4);

                // Every watch expires, and the API server does not answer the listener for a while.
                gate.close();
                List<String> expired = recorder.expireWatches();
                assertFalse(expired.isEmpty());
                api.admin().pods().inNamespace("tenant-a").withName("web-1").delete();
                api.create(pod("web-3", "10.244.1.12"));
                api.admin().nodes().withName("node-a1").edit(n -> {
                    n.getMetadata().getLabels().put("pool", "b");
                    return n;
                });
                Thread.sleep(500);
                assertEquals(4, tail.settle(Duration.ofMillis(300)).size(), "nothing arrives while no watch is open");

                gate.open();
                Map<String, Optional<JsonNode>> latest = tail.awaitLatest("the relist's changes",
                        t -> t.containsKey("Pod/tenant-a/web-3") && t.get("Pod/tenant-a/web-1").isEmpty()
                                && t.get("Node//node-a1").orElseThrow().toString().contains("\"pool\":\"b\""));
                assertTrue(latest.get("Pod/tenant-a/web-2").isPresent());
                assertTrue(listener.pipeline().publishing());
            }
        }
    }

    /** Writes the Lease as {@code holder}'s, freshly renewed (retrying when a's renewal got there first). */
    private static void handLeaseTo(MockApiServer api, String holder) throws InterruptedException {
        var leases = api.admin().resources(Lease.class).inNamespace("stockade");
        for (int attempt = 1; ; attempt++) {
            Lease lease = leases.withName("stockade-listener-leader").get();
            lease.getSpec().setHolderIdentity(holder);
            lease.getSpec().setRenewTime(ZonedDateTime.now());
            try {
                leases.resource(lease).update();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException conflict) {
                if (conflict.getCode() != 409 || attempt == 20) {
                    throw conflict;
                }
                Thread.sleep(10);
            }
        }
    }

    /** A source whose view the test sets: a leader with a stale picture of the cluster. */
    private static final class ManualSource implements ClusterSource {
        private final Map<ResourceKey, JsonNode> objects = new ConcurrentHashMap<>();
        private volatile SourceListener listener;

        void put(JsonNode object) {
            ResourceKey key = ResourceKeys.of(object).orElseThrow();
            objects.put(key, object);
            if (listener != null) {
                listener.upsert(object);
            }
        }

        void remove(JsonNode object) {
            ResourceKey key = ResourceKeys.of(object).orElseThrow();
            objects.remove(key);
            if (listener != null) {
                listener.delete(key);
            }
        }

        @Override
        public void start(SourceListener listener) {
            this.listener = listener;
            listener.initialListDone();
        }

        @Override
        public boolean synced() {
            return true;
        }

        @Override
        public Map<ResourceKey, JsonNode> current() {
            return Map.copyOf(objects);
        }

        @Override
        public void close() {
            listener = null;
        }
    }

    /** A leadership whose loss is never reported to the pipeline (a replica paused through it). */
    private static final class Unaware implements Leadership {
        private final Leadership inner;
        private final AtomicBoolean lost;

        Unaware(Leadership inner, AtomicBoolean lost) {
            this.inner = inner;
            this.lost = lost;
        }

        @Override
        public void start(Callbacks callbacks) {
            inner.start(new Callbacks() {
                @Override
                public void startedLeading() {
                    callbacks.startedLeading();
                }

                @Override
                public void stoppedLeading() {
                    lost.set(true);
                }
            });
        }

        @Override
        public void resign() {
            inner.resign();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** Answers the listener's lists and watches with 503 while closed (the test's own requests pass). */
    private static final class Gate extends io.fabric8.mockwebserver.http.Dispatcher {
        private final io.fabric8.mockwebserver.http.Dispatcher delegate;
        private volatile boolean closed;

        Gate(io.fabric8.mockwebserver.http.Dispatcher delegate) {
            this.delegate = delegate;
        }

        void close() {
            closed = true;
        }

        void open() {
            closed = false;
        }

        @Override
        public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
            if (closed && request.getMethod().equals("GET")
                    && !MockApiServer.ADMIN_AGENT.equals(request.getHeader("User-Agent"))
                    && !request.getPath().contains("/leases")) {
                return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(503);
            }
            return delegate.dispatch(request);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }
    }
}
