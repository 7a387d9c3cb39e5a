package dev.stockade.dispatcher;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The agent stream on a plain Vert.x HTTP server (the runner for tests, the embedded demo and the
 * benchmark; the Quarkus service serves the same path with websockets-next). Upgrades on
 * {@value #PATH} only, after {@link AgentAuth} admits the {@code Authorization} header; anything else
 * is answered 401 or 404 without an upgrade.
 */
final class VertxStreamServer implements AutoCloseable {

    /** The agent stream's path. */
    static final String PATH = "/v1/agent-stream";

    private final HttpServer server;

    private VertxStreamServer(HttpServer server) {
        this.server = server;
    }

    static VertxStreamServer start(Vertx vertx, String host, int port, AgentAuth auth, SessionHub hub) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 26).setTcpNoDelay(true);
        HttpServer server = vertx.createHttpServer(options).requestHandler(request -> upgrade(request, auth, hub));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port, e);
        }
        return new VertxStreamServer(server);
    }

    int port() {
        return server.actualPort();
    }

    private static void upgrade(HttpServerRequest request, AgentAuth auth, SessionHub hub) {
        if (!PATH.equals(request.path())) {
            request.response().setStatusCode(404).end();
        } else if (!auth.allows(request.getHeader("Authorization"))) {
            request.response().setStatusCode(401).end("agent token missing or wrong");
        } else {
            request.toWebSocket().onSuccess(socket -> attach(socket, hub))
                    .onFailure(failure -> request.response().setStatusCode(400).end());
        }
    }

    private static void attach(ServerWebSocket socket, SessionHub hub) {
        AgentSession session = hub.open(new Wire(socket));
        socket.textMessageHandler(text -> hub.received(session, text));
        socket.closeHandler(ignored -> hub.closed(session));
        socket.exceptionHandler(ignored -> socket.close());
    }

    @Override
    public void close() {
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
