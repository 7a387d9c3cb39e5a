package dev.stockade.agent.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A dispatcher stand-in for the Quarkus test: a WebSocket server that records what agents send and who they claim to be. */
public class ScriptedDispatcher implements QuarkusTestResourceLifecycleManager {

    static final BlockingQueue<String> FRAMES = new LinkedBlockingQueue<>();
    static final BlockingQueue<ServerWebSocket> SOCKETS = new LinkedBlockingQueue<>();
    static final BlockingQueue<String> AUTHORIZATIONS = new LinkedBlockingQueue<>();
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().webSocketHandler(socket -> {
                AUTHORIZATIONS.add(String.valueOf(socket.headers().get("Authorization")));
                SOCKETS.add(socket);
                socket.textMessageHandler(FRAMES::add);
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            return Map.of("stockade.agent.dispatchers", "127.0.0.1:" + server.actualPort(), "stockade.agent.token", "t0ken");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        vertx.close();
    }
}
