package dev.stockade.dispatcher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may open the agent stream: agents presenting the pool's shared token as
 * {@code Authorization: Bearer <token>} on the WebSocket upgrade. The comparison runs in constant
 * time over SHA-256 digests (neither the token's content nor its length leaks through timing), and the
 * token is never logged or printed ({@link #toString()} hides it). {@link #disabled()} admits everyone
 * (tests, or when mTLS alone authenticates).
 */
public final class AgentAuth {

    private final byte[] expected;

    private AgentAuth(byte[] expected) {
        this.expected = expected;
    }

    /** Requires this token; a blank token is refused at start-up rather than admitting anything. */
    public static AgentAuth token(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("agent authentication is required but no token is configured");
        }
        return new AgentAuth(digest("Bearer " + token.strip()));
    }

    public static AgentAuth disabled() {
        return new AgentAuth(null);
    }

    /** Whether an upgrade request with this {@code Authorization} header value (null = absent) is admitted. */
    public boolean allows(String authorization) {
        if (expected == null) {
            return true;
        }
        return authorization != null && MessageDigest.isEqual(expected, digest(authorization.strip()));
    }

    @Override
    public String toString() {
        return expected == null ? "AgentAuth[disabled]" : "AgentAuth[bearer token, hidden]";
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
