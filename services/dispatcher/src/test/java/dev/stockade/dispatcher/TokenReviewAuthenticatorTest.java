package dev.stockade.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The production authenticator against fabric8's mock API server. CRUD mode cannot answer a
 * TokenReview (it would store the review and echo it without a status), so the server runs in
 * expectations mode: it answers each review as the API server would for the token in the request
 * (authenticated or not, audiences, user and extra) and serves the one pod the pre-1.30 fallback reads.
 * The last test is the dispatcher's RBAC contract: every request the authenticator sent here, mapped to
 * what the API server authorizes, against the rules bound to the dispatchers in
 * {@code k8s/base/core/dispatcher/rbac.yaml}: nothing missing, nothing more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenReviewAuthenticatorTest {

    private static final String AGENT = "system:serviceaccount:stockade:stockade-agent";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicInteger reviews = new AtomicInteger();
    private final java.util.Set<String> audiencesAsked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
            reviews.incrementAndGet();
            try {
                JsonNode asked = JSON.readTree(request.getUtf8Body());
                asked.path("spec").path("audiences").forEach(audience -> audiencesAsked.add(audience.asText()));
                return answer(asked.path("spec").path("token").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).always();
        server.expect().get().withPath("/api/v1/namespaces/stockade/pods/agent-c").andReturn(200, new PodBuilder()
                .withNewMetadata().withName("agent-c").withNamespace("stockade").withUid("uid-c").endMetadata()
                .withNewSpec().withNodeName("node-c").endSpec().build()).always();
        server.expect().get().withPath("/api/v1/namespaces/stockade/pods/agent-d").andReturn(200, new PodBuilder()
                .withNewMetadata().withName("agent-d").withNamespace("stockade").withUid("uid-new").endMetadata()
                .withNewSpec().withNodeName("node-d").endSpec().build()).always();
        client = server.createClient();
    }

    @AfterAll
    void stop() {
        client.close();
        server.destroy();
        executor.shutdownNow();
    }

    /** What the API server says of each token the tests use. */
    private static TokenReview answer(String token) {
        return switch (token) {
            case "token-a" -> authenticated(List.of("stockade-dispatcher"), AGENT,
                    Map.of(TokenReviewAuthenticator.NODE_NAME, List.of("node-a"), TokenReviewAuthenticator.POD_NAME, List.of("agent-a")));
            case "other-audience" -> authenticated(List.of("https://kubernetes.default.svc"), AGENT,
                    Map.of(TokenReviewAuthenticator.NODE_NAME, List.of("node-a")));
            case "other-account" -> authenticated(List.of("stockade-dispatcher"), "system:serviceaccount:default:default",
                    Map.of(TokenReviewAuthenticator.NODE_NAME, List.of("node-a")));
            case "before-1.30" -> authenticated(List.of("stockade-dispatcher"), AGENT, Map.of(
                    TokenReviewAuthenticator.POD_NAME, List.of("agent-c"), TokenReviewAuthenticator.POD_UID, List.of("uid-c")));
            case "pod-replaced" -> authenticated(List.of("stockade-dispatcher"), AGENT, Map.of(
                    TokenReviewAuthenticator.POD_NAME, List.of("agent-d"), TokenReviewAuthenticator.POD_UID, List.of("uid-old")));
            case "not-bound" -> authenticated(List.of("stockade-dispatcher"), AGENT, Map.of());
            case "expired" -> refused("[invalid bearer token, service account token has expired]");
            default -> refused("[invalid bearer token, token could not be authenticated]");
        };
    }

    private static TokenReview authenticated(List<String> audiences, String user, Map<String, List<String>> extra) {
        return new TokenReviewBuilder().withNewStatus().withAuthenticated(true).withAudiences(audiences)
                .withNewUser().withUsername(user).withExtra(extra).endUser().endStatus().build();
    }

    private static TokenReview refused(String error) {
        return new TokenReviewBuilder().withNewStatus().withAuthenticated(false).withError(error).endStatus().build();
    }

    private TokenReviewAuthenticator authenticator(Duration cacheTtl) {
        return new TokenReviewAuthenticator(client, new TokenReviewAuthenticator.Settings("stockade-dispatcher", "stockade",
                "stockade-agent", cacheTtl), executor, Clock.systemUTC());
    }

    private static String refusal(AgentAuthenticator authenticator, String authorization) {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> authenticator.authenticate(authorization).toCompletableFuture().join());
        assertInstanceOf(AgentRefused.class, failure.getCause());
        return failure.getCause().getMessage();
    }

    @Test
    void aProjectedTokenProvesTheNodeItsPodRunsOnAndIsReviewedForTheDispatchersAudience() {
        NodeIdentity identity = authenticator(Duration.ZERO).authenticate("Bearer token-a").toCompletableFuture().join();
        assertEquals("node-a", identity.node());
        assertEquals(AGENT + ", pod stockade/agent-a", identity.subject());
        assertTrue(audiencesAsked.contains("stockade-dispatcher"));
    }

    @Test
    void beforeKubernetes130TheNodeIsReadFromTheTokensPod() {
        assertEquals("node-c", authenticator(Duration.ZERO).authenticate("Bearer before-1.30").toCompletableFuture().join().node());
        assertEquals("pod agent-d of the token is gone", refusal(authenticator(Duration.ZERO), "Bearer pod-replaced"));
    }

    @Test
    void anExpiredUnknownForeignOrUnboundTokenIsRefusedWithAReasonThatHoldsNoToken() {
        TokenReviewAuthenticator authenticator = authenticator(Duration.ofMinutes(1));
        assertEquals("token not authenticated: [invalid bearer token, service account token has expired]",
                refusal(authenticator, "Bearer expired"));
        assertEquals("token not authenticated: [invalid bearer token, token could not be authenticated]",
                refusal(authenticator, "Bearer who-knows"));
        assertEquals("token is not for audience stockade-dispatcher", refusal(authenticator, "Bearer other-audience"));
        assertEquals("token of system:serviceaccount:default:default, not of the agents' ServiceAccount " + AGENT,
                refusal(authenticator, "Bearer other-account"));
        assertTrue(refusal(authenticator, "Bearer not-bound").startsWith("token is not bound to a pod"));
        assertEquals("no bearer token", refusal(authenticator, null));
        assertEquals("no bearer token", refusal(authenticator, "Basic dXNlcjpwYXNz"));
        for (String token : List.of("expired", "who-knows", "other-audience", "other-account", "not-bound")) {
            assertFalse(refusal(authenticator, "Bearer " + token).contains(token + " "), token);
        }
    }

    @Test
    void theDispatchersRbacGrantsExactlyTheRequestsItsAuthenticatorMakes() throws Exception {
        TokenReviewAuthenticator authenticator = authenticator(Duration.ZERO);
        authenticator.authenticate("Bearer token-a").toCompletableFuture().join();
        authenticator.authenticate("Bearer before-1.30").toCompletableFuture().join();
        refusal(authenticator, "Bearer expired");
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (int i = server.getRequestCount(); i > 0; i--) {
            io.fabric8.mockwebserver.http.RecordedRequest request = server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
            if (request != null) {
                used.add(authorized(request.getMethod(), request.getPath()));
            }
        }
        assertEquals(rbacGrants(), used);
    }

    /** A request as the API server authorizes it: verb, group, resource, namespace (RequestInfoFactory's mapping). */
    private static String authorized(String method, String path) {
        String[] parts = path.split("\\?")[0].split("/");
        // /apis/<group>/<version>/... or /api/<version>/...
        int at = parts[1].equals("apis") ? 4 : 3;
        String group = parts[1].equals("apis") ? parts[2] : "";
        String namespace = "*";
        if (parts[at].equals("namespaces") && parts.length > at + 2) {
            namespace = parts[at + 1];
            at += 2;
        }
        String resource = parts[at];
        boolean named = parts.length > at + 1;
        String verb = switch (method) {
            case "POST" -> "create";
            case "GET" -> named ? "get" : "list";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method;
        };
        return verb + " " + group + "/" + resource + " in " + namespace;
    }

    /** The dispatchers' grants as installed: ClusterRole rules in every namespace, Role rules in the kustomization's. */
    private static java.util.Set<String> rbacGrants() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("stockade.repo.dir", "../.."),
                "k8s/base/core/dispatcher/rbac.yaml");
        java.util.Set<String> granted = new java.util.TreeSet<>();
        io.fabric8.kubernetes.client.utils.KubernetesSerialization yaml = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        for (String document : java.nio.file.Files.readString(file).split("(?m)^---$")) {
            Object object = yaml.unmarshal(document);
            java.util.List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules;
            String namespace;
            if (object instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRole role) {
                rules = role.getRules();
                namespace = "*";
            } else if (object instanceof io.fabric8.kubernetes.api.model.rbac.Role role) {
                rules = role.getRules();
                namespace = "stockade"; // the namespace base/core's kustomization sets
            } else {
                continue;
            }
            for (var rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            granted.add(verb + " " + group + "/" + resource + " in " + namespace);
                        }
                    }
                }
            }
        }
        return granted;
    }

    @Test
    void aReviewedTokenIsCachedAndARefusedOneIsAskedAgain() {
        TokenReviewAuthenticator authenticator = authenticator(Duration.ofMinutes(1));
        int before = reviews.get();
        for (int i = 0; i < 5; i++) {
            assertEquals("node-a", authenticator.authenticate("Bearer token-a").toCompletableFuture().join().node());
        }
        assertEquals(before + 1, reviews.get(), "one review for five connects within the cache time");
        refusal(authenticator, "Bearer expired");
        refusal(authenticator, "Bearer expired");
        assertEquals(before + 3, reviews.get(), "refusals are not cached");
        assertFalse(authenticator.toString().contains("token-a"));
    }
}
