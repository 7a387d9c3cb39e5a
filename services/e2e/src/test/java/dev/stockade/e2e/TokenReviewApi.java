package dev.stockade.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;

/**
 * The API server's TokenReview endpoint as the dispatchers see it, on fabric8's mock server in
 * expectations mode (CRUD mode stores a TokenReview and echoes it without a status). Each node's
 * agent pod {@code stockade-agent-<node>} holds a projected token {@link #tokenOf(String)}; the review
 * answers as Kubernetes 1.30+ does, with the node in the user's extra, except for the nodes listed as
 * older, whose review names only the pod: the dispatcher then reads the pod (served here) for its node.
 */
final class TokenReviewApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesMockServer server = new KubernetesMockServer(false);
    private final KubernetesClient client;

    TokenReviewApi(List<String> nodes, List<String> withoutNodeInfo) {
        server.init();
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
            try {
                String token = JSON.readTree(request.getUtf8Body()).path("spec").path("token").asText();
                String node = nodes.stream().filter(candidate -> tokenOf(candidate).equals(token)).findFirst().orElse(null);
                if (node == null) {
                    return new TokenReviewBuilder().withNewStatus().withAuthenticated(false)
                            .withError("[invalid bearer token, token could not be authenticated]").endStatus().build();
                }
                Map<String, List<String>> extra = withoutNodeInfo.contains(node)
                        ? Map.of("authentication.kubernetes.io/pod-name", List.of("stockade-agent-" + node))
                        : Map.of("authentication.kubernetes.io/pod-name", List.of("stockade-agent-" + node),
                                "authentication.kubernetes.io/node-name", List.of(node));
                return new TokenReviewBuilder().withNewStatus().withAuthenticated(true)
                        .withAudiences("stockade-dispatcher").withNewUser()
                        .withUsername("system:serviceaccount:stockade:stockade-agent").withExtra(extra).endUser()
                        .endStatus().build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).always();
        for (String node : withoutNodeInfo) {
            server.expect().get().withPath("/api/v1/namespaces/stockade/pods/stockade-agent-" + node).andReturn(200,
                    new PodBuilder().withNewMetadata().withName("stockade-agent-" + node).withNamespace("stockade")
                            .endMetadata().withNewSpec().withNodeName(node).endSpec().build()).always();
        }
        client = server.createClient();
    }

    /** The projected ServiceAccount token of the agent pod on {@code node}. */
    static String tokenOf(String node) {
        return "projected-token-of-stockade-agent-" + node;
    }

    /** The dispatchers' client. */
    KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
