package dev.stockade.dispatcher;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Agents prove their node with their pod's projected ServiceAccount token (the default in
 * Kubernetes). The API server checks it (a {@code TokenReview}: signature, expiry, audience, and
 * that the pod it is bound to still exists); this class then requires:
 * <ol>
 *   <li>{@code status.authenticated} and the {@link Settings#audience() audience} among
 *       {@code status.audiences} (a token minted for another audience is refused);</li>
 *   <li>the user {@code system:serviceaccount:<namespace>:<serviceAccount>}, the agents' ServiceAccount;</li>
 *   <li>the node: the user's extra {@value #NODE_NAME} (Kubernetes 1.30+, ServiceAccountTokenPodNodeInfo:
 *       "the node name ... as additional claims in service account tokens ... bound to pods"), else the
 *       {@code spec.nodeName} of the pod named in {@value #POD_NAME} read from the API server (its uid must
 *       be the token's {@value #POD_UID}: a pod re-created under the same name is another pod).</li>
 * </ol>
 * Results are cached for {@link Settings#cacheTtl()} keyed by the token's SHA-256 digest (an agent
 * reconnecting in a burst costs one review); refusals are not cached. Tokens are never logged: refusal
 * reasons name what failed, not the token. Reviews run on {@code executor}, off the event loop.
 */
public final class TokenReviewAuthenticator implements AgentAuthenticator {

    static final String NODE_NAME = "authentication.kubernetes.io/node-name";
    static final String POD_NAME = "authentication.kubernetes.io/pod-name";
    static final String POD_UID = "authentication.kubernetes.io/pod-uid";
    private static final int MAX_CACHED = 20_000;

    /**
     * @param audience       the audience the agents' projected tokens are minted for ({@code stockade-dispatcher})
     * @param namespace      the agents' namespace
     * @param serviceAccount the agents' ServiceAccount ({@code stockade-agent})
     * @param cacheTtl       how long a reviewed token is trusted without asking again; zero = always ask
     */
    public record Settings(String audience, String namespace, String serviceAccount, Duration cacheTtl) {

        public Settings {
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(serviceAccount, "serviceAccount");
            if (cacheTtl.isNegative()) {
                throw new IllegalArgumentException("cacheTtl must not be negative");
            }
        }

        /** The user name the API server gives the agents' ServiceAccount. */
        public String username() {
            return "system:serviceaccount:" + namespace + ":" + serviceAccount;
        }
    }

    private record Cached(NodeIdentity identity, long expiresAtMillis) { }

    private final KubernetesClient client;
    private final Settings settings;
    private final Executor executor;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public TokenReviewAuthenticator(KubernetesClient client, Settings settings, Executor executor, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public CompletionStage<NodeIdentity> authenticate(String authorization) {
        String token = AgentAuthenticator.bearer(authorization).orElse(null);
        if (token == null) {
            return CompletableFuture.failedFuture(new AgentRefused("no bearer token"));
        }
        String key = NodeTokens.digest(token);
        Cached cached = cache.get(key);
        if (cached != null && cached.expiresAtMillis() > clock.millis()) {
            return CompletableFuture.completedFuture(cached.identity());
        }
        return CompletableFuture.supplyAsync(() -> {
            NodeIdentity identity = review(token);
            remember(key, identity);
            return identity;
        }, executor);
    }

    private NodeIdentity review(String token) {
        TokenReview asked = new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences(settings.audience()).endSpec().build();
        TokenReviewStatus status;
        try {
            status = client.authentication().v1().tokenReviews().create(asked).getStatus();
        } catch (KubernetesClientException e) {
            throw new AgentRefused("the token could not be reviewed (API server answered " + e.getCode() + ")");
        }
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
            String error = status == null || status.getError() == null ? "" : ": " + cut(status.getError());
            throw new AgentRefused("token not authenticated" + error);
        }
        if (status.getAudiences() == null || !status.getAudiences().contains(settings.audience())) {
            throw new AgentRefused("token is not for audience " + settings.audience());
        }
        UserInfo user = status.getUser();
        String username = user == null ? null : user.getUsername();
        if (!settings.username().equals(username)) {
            throw new AgentRefused("token of " + username + ", not of the agents' ServiceAccount " + settings.username());
        }
        Map<String, List<String>> extra = user.getExtra() == null ? Map.of() : user.getExtra();
        String pod = single(extra, POD_NAME);
        String subject = username + ", pod " + settings.namespace() + "/" + pod;
        String node = single(extra, NODE_NAME);
        if (node == null) {
            node = nodeOfPod(pod, single(extra, POD_UID));
        }
        return new NodeIdentity(node, subject);
    }

    /** The fallback before Kubernetes 1.30: the node the token's pod runs on, from the pod itself. */
    private String nodeOfPod(String podName, String podUid) {
        if (podName == null) {
            throw new AgentRefused("token is not bound to a pod (no " + POD_NAME + "): mount a projected token");
        }
        Pod pod;
        try {
            pod = client.pods().inNamespace(settings.namespace()).withName(podName).get();
        } catch (KubernetesClientException e) {
            throw new AgentRefused("pod " + podName + " of the token could not be read (API server answered "
                    + e.getCode() + ")");
        }
        if (pod == null || (podUid != null && !podUid.equals(pod.getMetadata().getUid()))) {
            throw new AgentRefused("pod " + podName + " of the token is gone");
        }
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node == null || node.isBlank()) {
            throw new AgentRefused("pod " + podName + " of the token is not on a node");
        }
        return node;
    }

    private void remember(String key, NodeIdentity identity) {
        if (settings.cacheTtl().isZero()) {
            return;
        }
        long now = clock.millis();
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(entry -> entry.expiresAtMillis() <= now);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(key, new Cached(identity, now + settings.cacheTtl().toMillis()));
    }

    private static String single(Map<String, List<String>> extra, String key) {
        List<String> values = extra.get(key);
        return values == null || values.size() != 1 || values.get(0).isBlank() ? null : values.get(0);
    }

    private static String cut(String text) {
        return text.length() > 80 ? text.substring(0, 80) : text;
    }

    @Override
    public String toString() {
        return "TokenReviewAuthenticator[" + settings.username() + ", audience " + settings.audience() + "]";
    }
}
