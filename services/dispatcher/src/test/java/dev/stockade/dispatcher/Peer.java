package dev.stockade.dispatcher;

import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** A hand-driven agent-stream client for tests: sends what it is told, keeps every frame and the close. */
final class Peer implements WebSocket.Listener {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Connects over TLS trusting {@code tls}, with {@code Authorization: Bearer token}. */
    static Peer connect(SSLContext tls, URI uri, String token) {
        Peer peer = new Peer();
        peer.socket = HttpClient.newBuilder().sslContext(tls).build().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token).buildAsync(uri, peer).join();
        return peer;
    }

    void send(AgentStreamMessage message) {
        socket.sendText(new String(WireJson.encode(message), StandardCharsets.UTF_8), true).join();
    }

    /** The next frame within 10 s; null if none came. */
    String nextFrame() throws InterruptedException {
        return frames.poll(10, TimeUnit.SECONDS);
    }

    /** Every frame received so far. */
    synchronized List<String> frames() {
        return List.copyOf(all);
    }

    /** The close code the dispatcher sent, waiting up to 10 s. */
    int closeCode() throws Exception {
        return Integer.parseInt(closed.get(10, TimeUnit.SECONDS).split(" ", 2)[0]);
    }

    String closeReason() throws Exception {
        return closed.get(10, TimeUnit.SECONDS).split(" ", 2)[1];
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            synchronized (this) {
                all.add(partial.toString());
            }
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
