package dev.stockade.dispatcher;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Who an agent is: turns the {@code Authorization} header of its WebSocket upgrade into the
 * {@link NodeIdentity} its credential proves, before the upgrade. The session then serves that node
 * only: a hello for another node is refused ({@link SessionHub}). Implementations:
 * <ul>
 *   <li>{@link TokenReviewAuthenticator} (the default in Kubernetes): the agent pod's projected
 *       ServiceAccount token, verified by the API server, bound to the node its pod runs on;</li>
 *   <li>{@link NodeTokens}: a fixed token per node (the embedded demo and tests).</li>
 * </ul>
 * There is no shared-token mode: one secret for a whole pool would let any holder read any node.
 */
public interface AgentAuthenticator {

    /**
     * The node the credential proves. Completes exceptionally with {@link AgentRefused} (reason without
     * the credential) when it proves none; may complete on another thread (a TokenReview is a call to
     * the API server), never blocks the caller.
     *
     * @param authorization the header's value, null when absent
     */
    CompletionStage<NodeIdentity> authenticate(String authorization);

    /** The token of a {@code Bearer} authorization header; empty when absent or another scheme. */
    static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String text = authorization.strip();
        if (text.length() < 7 || !text.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = text.substring(7).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
