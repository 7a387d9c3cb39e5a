package dev.stockade.dispatcher;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The agent stream on a plain Vert.x HTTP server (the runner for tests, the embedded demo and the
 * benchmark; the Quarkus service serves the same path with websockets-next). TLS ({@code wss://})
 * when given a {@link StreamTls}, reloading its files when they change; plain only when the caller
 * allowed it ({@link DispatcherReplica}). Upgrades on {@value #PATH} only, after the
 * {@link AgentAuthenticator} proved a node from the {@code Authorization} header; the session then
 * serves that node only. Anything else is answered 401 (with the reason, never the credential) or
 * 404 without an upgrade.
 */
final class VertxStreamServer implements AutoCloseable {

    /** The agent stream's path. */
    static final String PATH = "/v1/agent-stream";
    private static final Logger LOG = Logger.getLogger(VertxStreamServer.class.getName());

    private final HttpServer server;
    private final Vertx vertx;
    private final long reloadTimer;

    private VertxStreamServer(HttpServer server, Vertx vertx, long reloadTimer) {
        this.server = server;
        this.vertx = vertx;
        this.reloadTimer = reloadTimer;
    }

    /** {@code tls} null = plain {@code ws://} (the caller checked that this is allowed). */
    static VertxStreamServer start(Vertx vertx, String host, int port, StreamTls tls, AgentAuthenticator authenticator,
                                   SessionHub hub) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 26).setTcpNoDelay(true);
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(keyCert(tls));
        }
        HttpServer server = vertx.createHttpServer(options)
                .requestHandler(request -> upgrade(request, authenticator, hub));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port, e);
        }
        long timer = tls == null || tls.reloadPeriod().isZero() ? -1 : reloading(vertx, server, tls);
        return new VertxStreamServer(server, vertx, timer);
    }

    int port() {
        return server.actualPort();
    }

    private static void upgrade(HttpServerRequest request, AgentAuthenticator authenticator, SessionHub hub) {
        if (!PATH.equals(request.path())) {
            request.response().setStatusCode(404).end();
            return;
        }
        request.pause();
        io.vertx.core.Context context = Vertx.currentContext();
        authenticator.authenticate(request.getHeader("Authorization")).whenComplete((identity, failure) ->
                context.runOnContext(ignored -> admit(request, identity, failure, hub)));
    }

    private static void admit(HttpServerRequest request, NodeIdentity identity, Throwable failure, SessionHub hub) {
        {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                String reason = cause instanceof AgentRefused refused ? refused.getMessage() : "credential not verifiable";
                LOG.warning("agent stream refused to " + request.remoteAddress() + ": " + reason);
                request.response().setStatusCode(401).end("agent not authenticated: " + reason);
                return;
            }
            request.toWebSocket().onSuccess(socket -> attach(socket, identity, hub))
                    .onFailure(ignored -> request.response().setStatusCode(400).end());
        }
    }

    private static void attach(ServerWebSocket socket, NodeIdentity identity, SessionHub hub) {
        AgentSession session = hub.open(new Wire(socket), identity);
        socket.textMessageHandler(text -> hub.received(session, text));
        socket.closeHandler(ignored -> hub.closed(session));
        socket.exceptionHandler(ignored -> socket.close());
    }

    private static PemKeyCertOptions keyCert(StreamTls tls) {
        return new PemKeyCertOptions().setCertPath(tls.certificate().toString()).setKeyPath(tls.key().toString());
    }

    /** Re-reads the certificate and key when either file's modification time changes. */
    private static long reloading(Vertx vertx, HttpServer server, StreamTls tls) {
        FileTime[] seen = {modified(tls)};
        return vertx.setPeriodic(tls.reloadPeriod().toMillis(), ignored -> vertx.executeBlocking(() -> modified(tls))
                .onSuccess(now -> {
                    if (now != null && !now.equals(seen[0])) {
                        seen[0] = now;
                        server.updateSSLOptions(new SSLOptions().setKeyCertOptions(keyCert(tls)))
                                .onSuccess(changed -> LOG.info("agent stream certificate reloaded from " + tls.certificate()))
                                .onFailure(e -> LOG.warning("agent stream certificate not reloaded: " + e.getMessage()));
                    }
                }));
    }

    private static FileTime modified(StreamTls tls) {
        try {
            FileTime cert = Files.getLastModifiedTime(tls.certificate());
            FileTime key = Files.getLastModifiedTime(tls.key());
            return cert.compareTo(key) >= 0 ? cert : key;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (reloadTimer >= 0) {
            vertx.cancelTimer(reloadTimer);
        }
        try {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the connections are gone either way
        }
    }

    private record Wire(ServerWebSocket socket) implements AgentWire {
        @Override
        public CompletionStage<Void> send(String text) {
            return socket.writeTextMessage(text).toCompletionStage();
        }

        @Override
        public void close(int code, String reason) {
            socket.close((short) code, reason);
        }

        @Override
        public String remote() {
            return String.valueOf(socket.remoteAddress());
        }
    }
}
