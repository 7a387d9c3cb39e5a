package dev.stockade.dispatcher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A fixed bearer token per node (the embedded demo, tests, a cluster without TokenReview): the
 * token proves exactly its node. Tokens are kept as SHA-256 digests only and looked up by digest,
 * so neither the content nor the length of a token leaks through timing, and none is ever printed
 * ({@link #toString()} names the nodes, not the tokens). Two nodes may not share a token.
 */
public final class NodeTokens implements AgentAuthenticator {

    private final Map<String, String> nodeByDigest;

    private NodeTokens(Map<String, String> nodeByDigest) {
        this.nodeByDigest = Map.copyOf(nodeByDigest);
    }

    /** {@code tokens}: node → its token; a blank token or one shared by two nodes is refused. */
    public static NodeTokens of(Map<String, String> tokens) {
        Map<String, String> byDigest = new LinkedHashMap<>();
        tokens.forEach((node, token) -> {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("node " + node + " has no token");
            }
            String previous = byDigest.put(digest(token.strip()), node);
            if (previous != null) {
                throw new IllegalArgumentException("nodes " + previous + " and " + node + " share a token");
            }
        });
        return new NodeTokens(byDigest);
    }

    @Override
    public CompletionStage<NodeIdentity> authenticate(String authorization) {
        String token = AgentAuthenticator.bearer(authorization).orElse(null);
        if (token == null) {
            return CompletableFuture.failedFuture(new AgentRefused("no bearer token"));
        }
        String node = nodeByDigest.get(digest(token));
        return node == null ? CompletableFuture.failedFuture(new AgentRefused("unknown token"))
                : CompletableFuture.completedFuture(new NodeIdentity(node, "static token of node " + node));
    }

    @Override
    public String toString() {
        return "NodeTokens[" + nodeByDigest.size() + " nodes, tokens hidden]";
    }

    /** Hex SHA-256 of a token: what is kept and compared instead of the token. */
    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
