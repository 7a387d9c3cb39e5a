package dev.stockade.listener;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The Quarkus service as deployed (Kubernetes mode, Lease election, informers), against the
 * Quarkus Kubernetes test server (CRUD) and a real broker: objects reach the topic, and the
 * health and metrics endpoints say so.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = ListenerServiceTest.LegacyCrd.class)
@QuarkusTestResource(LocalKafkaResource.class)
class ListenerServiceTest {

    /** Registers the 2016 policy CRD with the mock API server. */
    public static class LegacyCrd implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            server.getKubernetesMockServer().expectCustomResource(MockApiServer.LEGACY_CRD);
        }
    }

    @KubernetesTestServer
    KubernetesServer api;

    @Test
    void objectsReachTheTopicAndHealthAndMetricsReportIt() throws Exception {
        api.getClient().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("tenant-a")
                .addToAnnotations("net.alpha.kubernetes.io/network-isolation", "on").endMetadata().build()).create();
        api.getClient().pods().inNamespace("tenant-a").resource(new PodBuilder().withNewMetadata().withName("web-1")
                .addToLabels("segment", "frontend").endMetadata().withNewSpec().withNodeName("node-a1").endSpec()
                .build()).create();
        try (TopicTail tail = new TopicTail(LocalKafkaResource.bootstrapServers(), LocalKafkaResource.RESOURCES_TOPIC)) {
            tail.awaitLatest("the namespace and the pod", t -> t.containsKey("Namespace//tenant-a")
                    && t.containsKey("Pod/tenant-a/web-1"));
        }
        Replicas.await("ready", () -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then().body("status", equalTo("UP"))
                .body("checks[0].data.leader", equalTo(true));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("stockade_listener_events_published_total{kind=\"Pod\",op=\"upsert\"}"))
                .body(containsString("stockade_listener_leader 1.0"));
    }
}
