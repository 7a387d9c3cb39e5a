package dev.stockade.agent.service;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's mock API server in CRUD mode for the node-taint tests: the agent's client and the
 * test's own (the "admin", whose requests are not recorded) share it; every request of the agent's
 * client is recorded (method, path, body), and {@link #failNextPatch} plays a concurrent writer.
 */
final class MockNodes implements AutoCloseable {

    /** One request of the agent's client. */
    record Request(String method, String path, String body) {
    }

    private static final String ADMIN = "test-admin";
    private static final String FAILED_TEST = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our \
            request due to an error in our request","reason":"Invalid","code":422}""";

    private final KubernetesMockServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final KubernetesClient admin;
    private final KubernetesClient agent;
    private volatile boolean failNextPatch;

    MockNodes() {
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of());
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!ADMIN.equals(request.getHeader("User-Agent"))) {
                    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
                    requests.add(new Request(request.getMethod(), request.getPath(), new String(body, StandardCharsets.UTF_8)));
                    if ("PATCH".equals(request.getMethod()) && failNextPatch) {
                        failNextPatch = false;
                        return new MockResponse().setResponseCode(422).setBody(FAILED_TEST);
                    }
                }
                return crud.dispatch(request);
            }
        }, false);
        server.init();
        admin = server.createClient(b -> b.editOrNewConfig().withUserAgent(ADMIN).endConfig());
        agent = server.createClient();
    }

    KubernetesClient admin() {
        return admin;
    }

    /** The client the agent's taint code uses. */
    KubernetesClient agentClient() {
        return agent;
    }

    Node node(String name) {
        return admin.nodes().withName(name).get();
    }

    void create(String json) {
        admin.resource((Node) admin.getKubernetesSerialization().unmarshal(json)).create();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * Answers the agent's next PATCH as the API server answers a JSON patch whose {@code test} failed
     * (the list changed since the agent read it): 422, nothing applied. The mock itself does not answer
     * a failed test (its handler throws and the request times out), so the test plays that part.
     */
    void failNextPatch() {
        failNextPatch = true;
    }

    @Override
    public void close() {
        agent.close();
        admin.close();
        server.destroy();
    }
}
