package dev.stockade.listener;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's mock Kubernetes API server in CRUD mode (it stores what is created and serves lists
 * and watches), with the 2016 policy and ClusterNetworkPolicy CRDs registered. Each listener replica gets its own client;
 * the test's own client ({@link #admin()}) sends the User-Agent {@link #ADMIN_AGENT}, so a
 * {@link RecordingDispatcher} can tell the test's requests from the listener's.
 */
final class MockApiServer implements AutoCloseable {

    static final CustomResourceDefinitionContext LEGACY_CRD = new CustomResourceDefinitionContext.Builder()
            .withGroup("net.alpha.kubernetes.io").withVersion("v1alpha1").withPlural("networkpolicys")
            .withKind("NetworkPolicy").withScope("Namespaced").build();

    static final CustomResourceDefinitionContext CLUSTER_NETWORK_POLICY_CRD = new CustomResourceDefinitionContext.Builder()
            .withGroup("policy.networking.k8s.io").withVersion("v1alpha2").withPlural("clusternetworkpolicies")
            .withKind("ClusterNetworkPolicy").withScope("Cluster").build();

    /** The User-Agent of the test's own client. */
    static final String ADMIN_AGENT = "stockade-test-admin";

    private final KubernetesMockServer server;
    private final List<KubernetesClient> clients = new ArrayList<>();
    private final KubernetesClient admin;

    MockApiServer() {
        this(crud());
    }

    /** A server answering through {@code dispatcher} (e.g. a {@link RecordingDispatcher} around {@link #crud()}). */
    MockApiServer(Dispatcher dispatcher) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        admin = newClient(ADMIN_AGENT);
    }

    /** The CRUD dispatcher with the 2016 policy and ClusterNetworkPolicy CRDs. */
    static KubernetesCrudDispatcher crud() {
        return new KubernetesCrudDispatcher(List.of(LEGACY_CRD, CLUSTER_NETWORK_POLICY_CRD));
    }

    /** The client tests use to change the cluster. */
    KubernetesClient admin() {
        return admin;
    }

    /** A client of its own, as a listener replica has. */
    KubernetesClient newClient() {
        KubernetesClient client = server.createClient();
        clients.add(client);
        return client;
    }

    /** A client of its own that names itself {@code userAgent} in every request. */
    KubernetesClient newClient(String userAgent) {
        KubernetesClient client = server.createClient(b -> b.editOrNewConfig().withUserAgent(userAgent).endConfig());
        clients.add(client);
        return client;
    }

    /** Creates any object given as JSON (the 2016 policy and ClusterNetworkPolicy through their CRDs). */
    void create(String json) {
        HasMetadata object = admin.getKubernetesSerialization().unmarshal(json);
        if (object instanceof GenericKubernetesResource generic
                && generic.getApiVersion().startsWith("net.alpha.kubernetes.io/")) {
            admin.genericKubernetesResources(InformerSource.LEGACY_POLICIES)
                    .inNamespace(generic.getMetadata().getNamespace()).resource(generic).create();
        } else if (object instanceof GenericKubernetesResource generic
                && generic.getApiVersion().startsWith("policy.networking.k8s.io/")) {
            admin.genericKubernetesResources(InformerSource.CLUSTER_NETWORK_POLICIES).resource(generic).create();
        } else {
            admin.resource(object).create();
        }
    }

    void deleteLegacyPolicy(String namespace, String name) {
        admin.genericKubernetesResources(InformerSource.LEGACY_POLICIES).inNamespace(namespace).withName(name)
                .withTimeout(5, java.util.concurrent.TimeUnit.SECONDS).delete();
    }

    void deleteClusterNetworkPolicy(String name) {
        admin.genericKubernetesResources(InformerSource.CLUSTER_NETWORK_POLICIES).withName(name)
                .withTimeout(5, java.util.concurrent.TimeUnit.SECONDS).delete();
    }

    /** "METHOD path" of every request the server received so far (drains its record). */
    List<String> requests() throws InterruptedException {
        List<String> requests = new ArrayList<>();
        while (true) {
            var request = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (request == null) {
                return requests;
            }
            requests.add(request.getMethod() + " " + request.getPath());
        }
    }

    /** Lease settings short enough for tests: a released Lease is taken within ~200 ms. */
    static LeaseLeadership.Settings lease(String identity) {
        return new LeaseLeadership.Settings("stockade", "stockade-listener-leader", identity, Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofMillis(200));
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }
}
