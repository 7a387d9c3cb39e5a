package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.localkafka.KafkaTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClusterNetworkPolicies ({@code policy.networking.k8s.io/v1alpha2}, cluster-scoped, a CRD) from
 * fabric8's mock API server (CRUD mode) reach the resources topic like every other kind: key
 * {@code ClusterNetworkPolicy//<name>}, the object trimmed (no status), an edit republished, a
 * delete a tombstone.
 */
class ClusterNetworkPolicyListenerTest {

    private static final String KEY = "ClusterNetworkPolicy//deny-monitoring";
    private static final String CLUSTER_POLICY = """
            {"apiVersion":"policy.networking.k8s.io/v1alpha2","kind":"ClusterNetworkPolicy",
             "metadata":{"name":"deny-monitoring","labels":{"owner":"platform"}},
             "spec":{"tier":"Admin","priority":10,"subject":{"namespaces":{}},
              "ingress":[{"name":"no-ops","action":"Deny","from":[{"namespaces":{"matchLabels":{"team":"ops"}}}],
               "protocols":[{"tcp":{"destinationPort":{"number":80}}}]}]},
             "status":{"conditions":[{"type":"Ready","status":"True","reason":"Programmed","message":"ok",
               "lastTransitionTime":"2026-07-01T00:00:00Z"}]}}""";
    private static final String NAMESPACE = """
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"tenant-a"}}""";

    private static KafkaTestSupport kafka;
    private MockApiServer api;
    private TopicTail tail;
    private String topic;

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

    @Test
    @SuppressWarnings("unchecked")
    void aClusterNetworkPolicyIsPublishedRepublishedOnAnEditAndTombstonedOnDelete() {
        List.of(NAMESPACE, CLUSTER_POLICY).forEach(api::create);
        try (Replicas.Replica listener = Replicas.start(new InformerSource(api.newClient()), Leadership.sole(),
                kafka.bootstrapServers(), topic, "listener-0")) {
            Map<String, Optional<JsonNode>> latest = tail.awaitLatest("the namespace and the policy", t -> t.size() == 2);
            assertEquals(List.of(KEY, "Namespace//tenant-a"), latest.keySet().stream().sorted().toList());
            JsonNode record = latest.get(KEY).orElseThrow();
            assertTrue(record.path("status").isMissingNode(), "trimmed: " + record);
            assertEquals("policy.networking.k8s.io/v1alpha2", record.path("apiVersion").asText());
            ClusterNetworkPolicyInfo policy = (ClusterNetworkPolicyInfo) new KubeObjectConverter().convert(record)
                    .resource().orElseThrow();
            assertEquals("deny-monitoring", policy.name());
            assertEquals(10, policy.priority());
            assertEquals("Deny", policy.ingress().get(0).action());

            api.admin().genericKubernetesResources(InformerSource.CLUSTER_NETWORK_POLICIES).withName("deny-monitoring")
                    .edit(object -> {
                        ((Map<String, Object>) object.getAdditionalProperties().get("spec")).put("priority", 20);
                        return object;
                    });
            tail.awaitLatest("the new priority", t -> t.get(KEY).orElseThrow().path("spec").path("priority").asInt() == 20);

            api.deleteClusterNetworkPolicy("deny-monitoring");
            tail.awaitLatest("the policy's tombstone", t -> t.get(KEY).isEmpty());
            assertTrue(tail.latest().get("Namespace//tenant-a").isPresent());
        }
    }
}
