package dev.stockade.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * What an agent needs to know, as plain values (the Quarkus adapter maps its typed configuration
 * onto this; tests and the embedded demo use {@link #of}).
 *
 * @param node           this node's name (the agent asks for this node only)
 * @param dispatchers    the pool's dispatcher stream endpoints ({@code wss://host:9000/v1/agent-stream}); the agent
 *                       connects to any and moves to another after a failure; never empty; a plain {@code ws://}
 *                       one only with {@code allowPlaintext}
 * @param credential     this node's bearer token, asked at every connect (a projected ServiceAccount token is
 *                       re-read from its file, {@link StreamTrust#tokenFile}); null, or a null answer = send none
 * @param tls            the TLS context for {@code wss://} (trusting the dispatchers' CA, {@link StreamTrust#trusting});
 *                       null = the JVM's default trust store
 * @param allowPlaintext whether {@code ws://} addresses are allowed (explicitly; tests and the embedded demo)
 * @param stateDir       where the last applied rule set and generation are kept across restarts; null = memory only
 * @param initialBackoff first reconnect delay; it doubles per failed attempt up to {@code maxBackoff}, with jitter
 * @param maxBackoff     largest reconnect delay
 * @param resyncPeriod   period of the reconciler's full resync (drift repair)
 * @param retryDelay     delay before a failed reconcile is retried
 */
public record AgentSettings(String node, List<URI> dispatchers, Supplier<String> credential, SSLContext tls,
                            boolean allowPlaintext, Path stateDir, Duration initialBackoff, Duration maxBackoff,
                            Duration resyncPeriod, Duration retryDelay) {

    /** The stream's path on a dispatcher. */
    public static final String STREAM_PATH = "/v1/agent-stream";

    public AgentSettings {
        dispatchers = List.copyOf(dispatchers);
        if (node == null || node.isBlank() || dispatchers.isEmpty()) {
            throw new IllegalArgumentException("an agent needs its node name and at least one dispatcher address");
        }
        for (URI dispatcher : dispatchers) {
            if ("ws".equalsIgnoreCase(dispatcher.getScheme()) && !allowPlaintext) {
                throw new IllegalArgumentException("dispatcher address " + dispatcher + " is plain ws://: use wss:// (with"
                        + " stockade.agent.tls.ca) or allow plain text explicitly (stockade.agent.allow-plaintext=true)");
            }
        }
    }

    /**
     * Over TLS: {@code host:port} addresses become {@code wss://host:port/v1/agent-stream}, the token is asked of
     * {@code credential} at each connect. Defaults: backoff 100 ms doubling to 5 s, full resync every 5 minutes,
     * retry after 1 s, no state directory.
     */
    public static AgentSettings tls(String node, List<String> addresses, Supplier<String> credential, SSLContext tls) {
        return new AgentSettings(node, addresses.stream().map(address -> endpoint(address, true)).toList(), credential,
                tls, false, null, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(1));
    }

    /** Plain {@code ws://}, explicitly (tests against plain servers); otherwise as {@link #tls}. */
    public static AgentSettings plaintext(String node, List<String> addresses, String token) {
        return new AgentSettings(node, addresses.stream().map(address -> endpoint(address, false)).toList(),
                token == null ? null : StreamTrust.token(token), null, true, null, Duration.ofMillis(100),
                Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(1));
    }

    /** The same as {@link #plaintext}: plain {@code ws://} with a fixed token (kept for existing callers). */
    public static AgentSettings of(String node, List<String> addresses, String token) {
        return plaintext(node, addresses, token);
    }

    public AgentSettings withStateDir(Path dir) {
        return new AgentSettings(node, dispatchers, credential, tls, allowPlaintext, dir, initialBackoff, maxBackoff,
                resyncPeriod, retryDelay);
    }

    public AgentSettings withBackoff(Duration initial, Duration max) {
        return new AgentSettings(node, dispatchers, credential, tls, allowPlaintext, stateDir, initial, max, resyncPeriod,
                retryDelay);
    }

    /** The bearer token to present now (asked of {@link #credential()} at each connect); null = none. */
    public String token() {
        return credential == null ? null : credential.get();
    }

    /** {@code host:port} (→ {@code ws://host:port/v1/agent-stream}) or a full {@code ws://} / {@code wss://} URI. */
    public static URI endpoint(String address) {
        return endpoint(address, false);
    }

    /** {@code host:port} (→ {@code wss://} when {@code tls}, else {@code ws://}) or a full {@code ws://} / {@code wss://} URI. */
    public static URI endpoint(String address, boolean tls) {
        String text = address.strip();
        return URI.create(text.startsWith("ws://") || text.startsWith("wss://") ? text
                : (tls ? "wss://" : "ws://") + text + STREAM_PATH);
    }

    @Override
    public String toString() {
        return "AgentSettings[node=" + node + ", dispatchers=" + dispatchers + ", credential=" + (credential == null ? "none"
                : "hidden") + ", tls=" + (tls != null) + ", allowPlaintext=" + allowPlaintext + ", stateDir=" + stateDir + "]";
    }
}
