package dev.stockade.dispatcher.bench;

import dev.stockade.agent.AgentSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * A simulated agent: a real WebSocket client of the agent stream (Vert.x, two event loops shared by
 * all simulated agents) that says hello, notes when each frame arrives, and ACKs its generation at
 * once — no decode, fold or nft: it stands for an agent on a node of its own, so the benchmark
 * measures the dispatcher rather than a thousand agents sharing two cores.
 */
final class SimulatedAgent {

    /** What the benchmark learns from a simulated agent. */
    interface Events {
        void received(String node, long generation, String frame, long nanos);
    }

    private static final Vertx VERTX = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private static final HttpClient CLIENT = VERTX.createHttpClient(new HttpClientOptions().setMaxPoolSize(10_000)
            .setMaxWebSockets(10_000).setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 26));

    private final String node;
    private volatile long generation;
    private volatile WebSocket socket;

    private SimulatedAgent(String node) {
        this.node = node;
    }

    static CompletableFuture<SimulatedAgent> connect(String node, String address, String token, Events events) {
        SimulatedAgent agent = new SimulatedAgent(node);
        URI uri = AgentSettings.endpoint(address);
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
                .setURI(uri.getPath()).addHeader("Authorization", "Bearer " + token);
        return CLIENT.webSocket(options).map(socket -> {
            agent.socket = socket;
            socket.textMessageHandler(frame -> {
                long now = System.nanoTime();
                long g = generationOf(frame);
                agent.generation = g;
                events.received(node, g, frame, now);
                socket.writeTextMessage("{\"schemaVersion\":1,\"type\":\"ack\",\"node\":\"" + node + "\",\"generation\":" + g + "}");
            });
            socket.writeTextMessage("{\"schemaVersion\":1,\"type\":\"hello\",\"node\":\"" + node + "\",\"generation\":0}");
            return agent;
        }).toCompletionStage().toCompletableFuture();
    }

    String node() {
        return node;
    }

    long generation() {
        return generation;
    }

    void close() {
        WebSocket current = socket;
        if (current != null) {
            current.close();
        }
    }

    /** The frame's top-level generation: the first "generation" field (it precedes the payload). */
    private static long generationOf(String frame) {
        int at = frame.indexOf("\"generation\":") + "\"generation\":".length();
        int end = at;
        while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
            end++;
        }
        return Long.parseLong(frame.substring(at, end));
    }
}
