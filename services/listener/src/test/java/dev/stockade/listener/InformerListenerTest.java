package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.core.model.PodInfo;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.localkafka.KafkaTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The listener against fabric8's mock API server (CRUD mode) and a real Kafka broker: what
 * happens in the API server arrives on the resources topic, deletes as tombstones, across
 * leader changes.
 */
class InformerListenerTest {

    private static final String NAMESPACE = """
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"tenant-a",
              "annotations":{"net.alpha.kubernetes.io/network-isolation":"on","team":"a"}}}""";
    private static final String NODE = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a1","labels":{"pool":"a"}},
             "spec":{"podCIDR":"10.244.1.0/24"}}""";
    private static final String V1_POLICY = """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny","namespace":"tenant-a"},
             "spec":{"podSelector":{},"policyTypes":["Ingress"]}}""";
    private static final String LEGACY_POLICY = """
            {"apiVersion":"net.alpha.kubernetes.io/v1alpha1","kind":"NetworkPolicy",
             "metadata":{"name":"pol1","namespace":"tenant-a"},
             "spec":{"podSelector":{"segment":"backend"},
               "allowIncoming":{"from":[{"pods":{"segment":"frontend"}}],"toPorts":[{"port":80,"protocol":"TCP"}]}}}""";

    private static KafkaTestSupport kafka;
    private MockApiServer api;
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
        api = new MockApiServer();
        topic = "resources-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, true);
        tail = new TopicTail(kafka.bootstrapServers(), topic);
    }

    @AfterEach
    void tearDown() {
        tail.close();
        api.close();
    }

    private static String pod(String name, String segment) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"tenant-a","labels":{"segment":"%s"}},
                 "spec":{"nodeName":"node-a1","containers":[{"name":"web","image":"nginx:1.27",
                   "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]}]},
                 "status":{"phase":"Running","podIP":"10.244.1.10","podIPs":[{"ip":"10.244.1.10"}],
                   "conditions":[{"type":"Ready","status":"True"}]}}""".formatted(name, segment);
    }

    private void createAll() {
        List.of(NAMESPACE, NODE, pod("web-1", "frontend"), V1_POLICY, LEGACY_POLICY).forEach(api::create);
    }

    private Replicas.Replica replica(String name, boolean elect) {
        Leadership leadership = elect ? new LeaseLeadership(api.newClient(), MockApiServer.lease(name))
                : Leadership.sole();
        return Replicas.start(new InformerSource(api.newClient()), leadership, kafka.bootstrapServers(), topic, name);
    }

    @Test
    void objectsChangesAndDeletesInTheApiServerArriveAsRecordsAndTombstones() {
        createAll();
        try (Replicas.Replica listener = replica("listener-0", false)) {
            Map<String, Optional<JsonNode>> latest = tail.awaitLatest("all five objects", t -> t.size() == 5);
            assertEquals(List.of("LegacyNetworkPolicy/tenant-a/pol1", "Namespace//tenant-a", "NetworkPolicy/tenant-a/deny",
                    "Node//node-a1", "Pod/tenant-a/web-1"), latest.keySet().stream().sorted().toList());
            JsonNode pod = latest.get("Pod/tenant-a/web-1").orElseThrow();
            assertTrue(pod.path("spec").path("containers").get(0).path("image").isMissingNode(), "trimmed: " + pod);
            PodInfo info = (PodInfo) new KubeObjectConverter().convert(pod).resource().orElseThrow();
            assertEquals(List.of("10.244.1.10"), info.ips());
            assertEquals("{\"net.alpha.kubernetes.io/network-isolation\":\"on\"}",
                    latest.get("Namespace//tenant-a").orElseThrow().path("metadata").path("annotations").toString());

            api.admin().pods().inNamespace("tenant-a").withName("web-1").edit(p -> {
                p.getMetadata().getLabels().put("segment", "backend");
                return p;
            });
            tail.awaitLatest("the relabelled pod", t -> t.get("Pod/tenant-a/web-1").orElseThrow()
                    .path("metadata").path("labels").path("segment").asText().equals("backend"));

            api.admin().pods().inNamespace("tenant-a").withName("web-1").withTimeout(5, TimeUnit.SECONDS).delete();
            api.deleteLegacyPolicy("tenant-a", "pol1");
            api.admin().network().v1().networkPolicies().inNamespace("tenant-a").withName("deny").delete();
            api.admin().namespaces().withName("tenant-a").delete();
            tail.awaitLatest("four tombstones", t -> t.values().stream().filter(Optional::isEmpty).count() == 4);
            assertTrue(tail.latest().get("Node//node-a1").isPresent());
        }
    }

    @Test
    void aNewLeaderPublishesTombstonesForObjectsDeletedWhileNoLeaderRan() throws Exception {
        createAll();
        try (Replicas.Replica first = replica("listener-0", true)) {
            tail.awaitLatest("all five objects", t -> t.size() == 5);
        }
        api.admin().pods().inNamespace("tenant-a").withName("web-1").withTimeout(5, TimeUnit.SECONDS).delete();
        api.deleteLegacyPolicy("tenant-a", "pol1");
        api.create(pod("web-2", "frontend"));
        api.admin().nodes().withName("node-a1").edit(n -> {
            n.getMetadata().getLabels().put("pool", "b");
            return n;
        });

        try (Replicas.Replica second = replica("listener-1", true)) {
            Map<String, Optional<JsonNode>> latest = tail.awaitLatest("the reconcile's records",
                    t -> t.get("Pod/tenant-a/web-1").isEmpty() && t.get("LegacyNetworkPolicy/tenant-a/pol1").isEmpty()
                            && t.containsKey("Pod/tenant-a/web-2")
                            && t.get("Node//node-a1").orElseThrow().toString().contains("\"pool\":\"b\""));
            assertTrue(latest.get("Namespace//tenant-a").isPresent());
            Replicas.await("the reconcile is counted", () -> second.reconcileChanges("tombstone") == 2.0);
            assertEquals(2.0, second.reconcileChanges("upsert"), "web-2 and node-a1");
            assertEquals(1, tail.settle(Duration.ofMillis(300)).stream()
                    .filter(e -> e.key().equals("NetworkPolicy/tenant-a/deny")).count(),
                    "an unchanged object is not republished by the new leader");
        }
    }

    @Test
    void onlyTheLeaderPublishesAndAStandbyTakesOverWhenItLeaves() throws Exception {
        createAll();
        Replicas.Replica first = replica("listener-0", true);
        try (Replicas.Replica second = replica("listener-1", true)) {
            Replicas.await("one replica leads", () -> first.pipeline().publishing() || second.pipeline().publishing());
            Replicas.Replica leader = first.pipeline().publishing() ? first : second;
            Replicas.Replica standby = leader == first ? second : first;
            tail.awaitLatest("all five objects", t -> t.size() == 5);
            api.create(pod("web-2", "frontend"));
            tail.awaitLatest("web-2", t -> t.containsKey("Pod/tenant-a/web-2"));
            assertEquals(6, tail.settle(Duration.ofMillis(300)).size(), "each object once, from the leader only");
            assertEquals(0.0, standby.published());
            assertFalse(standby.pipeline().publishing());

            leader.close();
            Replicas.await("the standby leads", () -> standby.pipeline().publishing());
            api.admin().pods().inNamespace("tenant-a").withName("web-2").withTimeout(5, TimeUnit.SECONDS).delete();
            tail.awaitLatest("web-2's tombstone", t -> t.get("Pod/tenant-a/web-2").isEmpty());
        } finally {
            first.close();
        }
        assertLeaseVerbsAreTheGrantedOnes();
    }

    /** The listener's Role grants create, get, update on the Lease: POST, GET, PUT, never PATCH. */
    private void assertLeaseVerbsAreTheGrantedOnes() throws InterruptedException {
        List<String> leaseRequests = api.requests().stream().filter(r -> r.contains("/leases")).toList();
        Set<String> methods = leaseRequests.stream().map(r -> r.substring(0, r.indexOf(' '))).collect(Collectors.toSet());
        assertEquals(Set.of("GET", "POST", "PUT"), methods, "Lease requests: " + leaseRequests);
    }
}
