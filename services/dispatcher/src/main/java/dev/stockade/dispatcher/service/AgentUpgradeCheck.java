package dev.stockade.dispatcher.service;

import dev.stockade.dispatcher.AgentRefused;
import dev.stockade.dispatcher.NodeIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Before the upgrade, the agent's credential must prove a node ({@link dev.stockade.dispatcher.AgentAuthenticator});
 * otherwise 401 and a WARN log with the reason (never the credential). The proven identity is handed to
 * the endpoint's {@code @OnOpen} under the handshake's {@code Sec-WebSocket-Key} and the credential's
 * digest (websockets-next has no other channel from the check to the connection); an entry not claimed
 * within a minute (the upgrade failed after the check) is dropped.
 */
@ApplicationScoped
public class AgentUpgradeCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(AgentUpgradeCheck.class.getName());
    private static final long UNCLAIMED_MILLIS = 60_000;

    private record Pending(NodeIdentity identity, long atMillis) { }

    private final DispatcherService service;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    AgentUpgradeCheck(DispatcherService service) {
        this.service = service;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String authorization = context.httpRequest().getHeader("Authorization");
        String key = key(authorization, context.httpRequest().getHeader("Sec-WebSocket-Key"));
        String remote = String.valueOf(context.httpRequest().remoteAddress());
        return Uni.createFrom().completionStage(() -> service.authenticator().authenticate(authorization))
                .onItem().transformToUni(identity -> {
                    long now = System.currentTimeMillis();
                    pending.values().removeIf(entry -> now - entry.atMillis() > UNCLAIMED_MILLIS);
                    pending.put(key, new Pending(identity, now));
                    return CheckResult.permitUpgrade();
                })
                .onFailure().recoverWithUni(failure -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    String reason = cause instanceof AgentRefused ? cause.getMessage() : "credential not verifiable";
                    LOG.warning("agent stream refused to " + remote + ": " + reason);
                    return CheckResult.rejectUpgrade(401);
                });
    }

    /** The identity the check proved for this handshake; null when none (the connection is then closed). */
    NodeIdentity claim(String authorization, String webSocketKey) {
        Pending entry = pending.remove(key(authorization, webSocketKey));
        return entry == null ? null : entry.identity();
    }

    private static String key(String authorization, String webSocketKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(authorization).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest) + "|" + webSocketKey;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
