package dev.stockade.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What an agent needs to know, as plain values (the Quarkus adapter maps its typed configuration
 * onto this; tests and the embedded demo use {@link #of}).
 *
 * @param node           this node's name (the agent asks for this node only)
 * @param dispatchers    the pool's dispatcher stream endpoints ({@code ws://host:9000/v1/agent-stream}); the agent
 *                       connects to any and moves to another after a failure; never empty
 * @param token          the pool's shared bearer token; null = send none
 * @param stateDir       where the last applied rule set and generation are kept across restarts; null = memory only
 * @param initialBackoff first reconnect delay; it doubles per failed attempt up to {@code maxBackoff}, with jitter
 * @param maxBackoff     largest reconnect delay
 * @param resyncPeriod   period of the reconciler's full resync (drift repair)
 * @param retryDelay     delay before a failed reconcile is retried
 */
public record AgentSettings(String node, List<URI> dispatchers, String token, Path stateDir, Duration initialBackoff,
                            Duration maxBackoff, Duration resyncPeriod, Duration retryDelay) {

    /** The stream's path on a dispatcher. */
    public static final String STREAM_PATH = "/v1/agent-stream";

    public AgentSettings {
        dispatchers = List.copyOf(dispatchers);
        if (node == null || node.isBlank() || dispatchers.isEmpty()) {
            throw new IllegalArgumentException("an agent needs its node name and at least one dispatcher address");
        }
    }

    /** Defaults: backoff 100 ms doubling to 5 s, full resync every 5 minutes, retry after 1 s, no state directory. */
    public static AgentSettings of(String node, List<String> addresses, String token) {
        return new AgentSettings(node, addresses.stream().map(AgentSettings::endpoint).toList(), token, null,
                Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(1));
    }

    public AgentSettings withStateDir(Path dir) {
        return new AgentSettings(node, dispatchers, token, dir, initialBackoff, maxBackoff, resyncPeriod, retryDelay);
    }

    public AgentSettings withBackoff(Duration initial, Duration max) {
        return new AgentSettings(node, dispatchers, token, stateDir, initial, max, resyncPeriod, retryDelay);
    }

    /** {@code host:port} (→ {@code ws://host:port/v1/agent-stream}) or a full {@code ws://} / {@code wss://} URI. */
    public static URI endpoint(String address) {
        String text = address.strip();
        return URI.create(text.startsWith("ws://") || text.startsWith("wss://") ? text : "ws://" + text + STREAM_PATH);
    }
}
