package dev.stockade.dispatcher;

import dev.stockade.replication.ReplicatedCaches;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * One dispatcher replica in plain Java — its own Infinispan member, the Kafka loop and the agent
 * stream on a Vert.x server — for tests, the embedded demo and the benchmark. The pool's replicas in
 * one JVM (or on one machine) find each other over JGroups on loopback when started with the same
 * {@code clusterName} ({@link ReplicatedCaches#LOOPBACK}; set {@code stockade.jgroups.port} to a free
 * port block first). Agents connect to {@code wss://}{@link #address()}{@value VertxStreamServer#PATH}
 * (TLS by default; {@code ws://} only with {@link Options#plaintext}, which logs a warning).
 */
public final class DispatcherReplica implements AutoCloseable {

    /**
     * Where a replica listens, how, and who it admits.
     *
     * @param authenticator  proves each agent's node (required: there is no unauthenticated mode)
     * @param tls            the stream's certificate; null = plain {@code ws://}, refused unless {@code allowPlaintext}
     * @param allowPlaintext explicitly allow a plain stream (logged as a warning at start)
     */
    public record Options(String clusterName, String jgroupsStack, String host, int port,
                          AgentAuthenticator authenticator, StreamTls tls, boolean allowPlaintext) {

        public Options {
            java.util.Objects.requireNonNull(authenticator, "an agent authenticator is required");
            if (tls == null && !allowPlaintext) {
                throw new IllegalArgumentException("the agent stream needs TLS (a certificate and key); a plain ws:// stream"
                        + " must be allowed explicitly (allowPlaintext)");
            }
        }

        /** Loopback, a free port, JGroups on loopback, TLS with {@code tls}. */
        public static Options loopback(String clusterName, AgentAuthenticator authenticator, StreamTls tls) {
            return new Options(clusterName, ReplicatedCaches.LOOPBACK, "127.0.0.1", 0, authenticator,
                    java.util.Objects.requireNonNull(tls, "tls"), false);
        }

        /** Loopback with a plain {@code ws://} stream, explicitly allowed (a warning is logged at start). */
        public static Options plaintext(String clusterName, AgentAuthenticator authenticator) {
            return new Options(clusterName, ReplicatedCaches.LOOPBACK, "127.0.0.1", 0, authenticator, null, true);
        }
    }

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DispatcherReplica.class.getName());

    private final EmbeddedCacheManager member;
    private final DispatcherCore core;
    private final Vertx vertx;
    private final VertxStreamServer server;
    private final String host;
    private final boolean tls;

    private DispatcherReplica(EmbeddedCacheManager member, DispatcherCore core, Vertx vertx, VertxStreamServer server,
                              String host, boolean tls) {
        this.tls = tls;
        this.member = member;
        this.core = core;
        this.vertx = vertx;
        this.server = server;
        this.host = host;
    }

    /** Starts a replica with a fresh {@link SimpleMeterRegistry}. */
    public static DispatcherReplica start(DispatcherSettings settings, Options options) {
        return start(settings, options, new SimpleMeterRegistry());
    }

    public static DispatcherReplica start(DispatcherSettings settings, Options options, MeterRegistry registry) {
        EmbeddedCacheManager member = ReplicatedCaches.start(options.clusterName(), settings.replicaId(),
                options.jgroupsStack(), PoolState.caches());
        DispatcherCore core = DispatcherCore.start(settings, member, registry, Clock.systemUTC());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        if (options.tls() == null) {
            LOG.warning("dispatcher " + settings.replicaId() + ": the agent stream is plain ws:// (allowed explicitly):"
                    + " rule sets and agent credentials cross the network unencrypted");
        }
        VertxStreamServer server = VertxStreamServer.start(vertx, options.host(), options.port(), options.tls(),
                options.authenticator(), core.hub());
        return new DispatcherReplica(member, core, vertx, server, options.host(), options.tls() != null);
    }

    /** {@code host:port} of the agent stream. */
    public String address() {
        return host + ":" + server.port();
    }

    /** The agent stream's URI: {@code wss://} with TLS, else {@code ws://}. */
    public String streamUri() {
        return (tls ? "wss://" : "ws://") + address() + VertxStreamServer.PATH;
    }

    public boolean ready() {
        return core.ready();
    }

    public DispatcherMetrics metrics() {
        return core.metrics();
    }

    /** The pool's replicated state as this replica sees it (read-only use). */
    public PoolState state() {
        return core.state();
    }

    /** Stops serving (agents reconnect to another replica), leaves the Kafka group and the Infinispan cluster. */
    @Override
    public void close() {
        core.close();
        server.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort: the sockets are closed with the server
        }
        member.stop();
    }
}
