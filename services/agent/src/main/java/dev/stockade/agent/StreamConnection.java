package dev.stockade.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * One agent-stream connection on the JDK's WebSocket client (no framework). Frames are delivered
 * whole, one at a time: the next is requested only after the handler took the previous one, so a
 * busy agent pushes back on its dispatcher through TCP instead of buffering. Sends are queued (the
 * JDK allows one outstanding send). {@link #pauseReading(boolean)} stops requesting frames (tests
 * simulate a slow agent with it).
 */
final class StreamConnection implements WebSocket.Listener {

    /** What the agent does with the stream. */
    interface Handler {
        void frame(String text);

        /** The connection ended (closed by either side, or failed); {@code why} is for logs. */
        void closed(String why);
    }

    private static final ExecutorService EXECUTOR = sharedExecutor();
    private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .executor(EXECUTOR).build();
    /** One client per TLS context (an agent has one; tests run several agents with different trust). */
    private static final Map<SSLContext, HttpClient> TLS_CLIENTS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Handler handler;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
    private boolean paused;
    private String held;
    private boolean ended;

    private StreamConnection(Handler handler) {
        this.handler = handler;
    }

    /** Connects with {@code Authorization: Bearer token} (none when null); fails on a refused upgrade. */
    static CompletableFuture<StreamConnection> open(URI uri, String token, Handler handler) {
        return open(uri, token, null, handler);
    }

    /**
     * As {@link #open(URI, String, Handler)}, {@code wss://} trusting {@code tls} (null = the JVM's default
     * trust store); the dispatcher's certificate must chain to it and name the address's host.
     */
    static CompletableFuture<StreamConnection> open(URI uri, String token, SSLContext tls, Handler handler) {
        StreamConnection connection = new StreamConnection(handler);
        HttpClient client = tls == null ? SHARED : TLS_CLIENTS.computeIfAbsent(tls, context -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3)).sslContext(context).executor(EXECUTOR).build());
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.buildAsync(uri, connection).thenApply(socket -> connection);
    }

    /** Queues a text frame. */
    synchronized void send(String text) {
        WebSocket target = socket;
        if (target == null || ended) {
            return;
        }
        sends = sends.handle((ignored, failure) -> null)
                .thenCompose(ignored -> target.sendText(text, true))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        target.abort();
                    }
                });
    }

    /** While paused, a frame that arrives is held (not handed on) and no further frame is requested. */
    void pauseReading(boolean pause) {
        String release;
        WebSocket target;
        synchronized (this) {
            paused = pause;
            if (pause || held == null) {
                return;
            }
            release = held;
            held = null;
            target = socket;
        }
        handler.frame(release);
        target.request(1);
    }

    /** Closes the connection (normal closure); the handler hears {@code closed}. */
    void close() {
        WebSocket target;
        synchronized (this) {
            target = socket;
        }
        if (target != null) {
            target.sendClose(WebSocket.NORMAL_CLOSURE, "agent stopping").orTimeout(1, java.util.concurrent.TimeUnit.SECONDS)
                    .whenComplete((ignored, failure) -> target.abort());
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        synchronized (this) {
            socket = webSocket;
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (!last) {
            webSocket.request(1);
            return null;
        }
        String text = partial.toString();
        partial.setLength(0);
        synchronized (this) {
            if (paused) {
                held = text;
                return null;
            }
        }
        handler.frame(text);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end("closed by the dispatcher (" + statusCode + (reason.isEmpty() ? "" : ": " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end("failed: " + error);
    }

    private void end(String why) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        handler.closed(why);
    }

    private static ExecutorService sharedExecutor() {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "agent-stream-client");
            thread.setDaemon(true);
            return thread;
        });
    }
}
