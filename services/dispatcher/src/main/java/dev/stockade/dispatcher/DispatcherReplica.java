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
 * port block first). Agents connect to {@code ws://}{@link #address()}{@value VertxStreamServer#PATH}.
 */
public final class DispatcherReplica implements AutoCloseable {

    /** Where a replica listens and who it admits; {@code token} null = no authentication. */
    public record Options(String clusterName, String jgroupsStack, String host, int port, String token) {

        /** Loopback, a free port, JGroups on loopback. */
        public static Options loopback(String clusterName, String token) {
            return new Options(clusterName, ReplicatedCaches.LOOPBACK, "127.0.0.1", 0, token);
        }
    }

    private final EmbeddedCacheManager member;
    private final DispatcherCore core;
    private final Vertx vertx;
    private final VertxStreamServer server;
    private final String host;

    private DispatcherReplica(EmbeddedCacheManager member, DispatcherCore core, Vertx vertx, VertxStreamServer server,
                              String host) {
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
        AgentAuth auth = options.token() == null ? AgentAuth.disabled() : AgentAuth.token(options.token());
        VertxStreamServer server = VertxStreamServer.start(vertx, options.host(), options.port(), auth, core.hub());
        return new DispatcherReplica(member, core, vertx, server, options.host());
    }

    /** {@code host:port} of the agent stream. */
    public String address() {
        return host + ":" + server.port();
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
