package dev.stockade.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's mock API server in CRUD mode with the 2016 policy CRD, driven by watch-event-shaped
 * changes: ADDED and MODIFIED create or replace the object, DELETED deletes it.
 */
final class MockCluster implements AutoCloseable {

    static final CustomResourceDefinitionContext LEGACY = new CustomResourceDefinitionContext.Builder()
            .withGroup("net.alpha.kubernetes.io").withVersion("v1alpha1").withPlural("networkpolicys")
            .withKind("NetworkPolicy").withScope("Namespaced").build();

    private final KubernetesMockServer server;
    private final KubernetesClient admin;
    private final List<KubernetesClient> clients = new ArrayList<>();

    MockCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of(LEGACY)), false);
        server.init();
        admin = newClient();
    }

    KubernetesClient newClient() {
        KubernetesClient client = server.createClient();
        clients.add(client);
        return client;
    }

    /** Applies one {@code {"type","object"}} change. */
    void apply(JsonNode event) {
        HasMetadata object = admin.getKubernetesSerialization().unmarshal(event.path("object").toString());
        boolean delete = event.path("type").asText().equals("DELETED");
        if (object instanceof GenericKubernetesResource legacy && legacy.getApiVersion().startsWith("net.alpha.kubernetes.io/")) {
            var resource = admin.genericKubernetesResources(LEGACY).inNamespace(legacy.getMetadata().getNamespace())
                    .resource(legacy);
            if (delete) {
                resource.delete();
            } else {
                resource.createOr(existing -> existing.update());
            }
        } else if (delete) {
            admin.resource(object).delete();
        } else {
            admin.resource(object).createOr(existing -> existing.update());
        }
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }
}
