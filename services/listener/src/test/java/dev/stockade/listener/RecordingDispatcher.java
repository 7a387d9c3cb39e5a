package dev.stockade.listener;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.http.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A mock API server's dispatcher (CRUD) that records every request it answers, with the client
 * that sent it (its User-Agent), and keeps the watches it holds open so a test can end them as
 * the API server does when the resourceVersion a watch started from is compacted away.
 */
final class RecordingDispatcher extends Dispatcher {

    /** One request: which client sent it, the method, the target (path and query), the body. */
    record Request(String client, String method, String path, String body) {
    }

    /**
     * What the API server sends on a watch whose resourceVersion is too old (etcd compacted it):
     * an ERROR event carrying Status 410 Gone, reason Expired; the client must list again.
     */
    static final String EXPIRED = """
            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",\
            "message":"too old resource version: 1 (1000)","reason":"Expired","code":410}}""";

    private final Dispatcher delegate;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<WebSocket, String> watches = new ConcurrentHashMap<>();

    RecordingDispatcher(Dispatcher delegate) {
        this.delegate = delegate;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        // getBytes(), not getUtf8Body(): reading the body would consume it before the CRUD dispatcher sees it
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
        requests.add(new Request(String.valueOf(request.getHeader("User-Agent")), request.getMethod(),
                request.getPath(), new String(body, StandardCharsets.UTF_8)));
        MockResponse response = delegate.dispatch(request);
        WebSocketListener listener = response.getWebSocketListener();
        if (listener != null) {
            response.withWebSocketUpgrade(new Tracked(listener, request.getPath()));
        }
        return response;
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    /** Every request so far, in arrival order. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Sends {@link #EXPIRED} on every open watch and closes it; returns the watches' paths. */
    List<String> expireWatches() {
        List<String> expired = new CopyOnWriteArrayList<>();
        watches.forEach((socket, path) -> {
            socket.send(EXPIRED);
            socket.close(1000, "watch expired");
            expired.add(path);
        });
        watches.clear();
        return expired;
    }

    /** The CRUD dispatcher's watch listener, remembering its socket while the watch is open. */
    private final class Tracked extends WebSocketListener {
        private final WebSocketListener inner;
        private final String path;

        Tracked(WebSocketListener inner, String path) {
            this.inner = inner;
            this.path = path;
        }

        @Override
        public void onBeforeAccept(WebSocket socket, Response response) {
            inner.onBeforeAccept(socket, response);
        }

        @Override
        public void onOpen(WebSocket socket, Response response) {
            watches.put(socket, path);
            inner.onOpen(socket, response);
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            inner.onMessage(socket, text);
        }

        @Override
        public void onMessage(WebSocket socket, ByteString bytes) {
            inner.onMessage(socket, bytes);
        }

        @Override
        public void onMessage(WebSocket socket, byte[] bytes) {
            inner.onMessage(socket, bytes);
        }

        @Override
        public void onClosing(WebSocket socket, int code, String reason) {
            watches.remove(socket);
            inner.onClosing(socket, code, reason);
        }

        @Override
        public void onClosed(WebSocket socket, int code, String reason) {
            watches.remove(socket);
            inner.onClosed(socket, code, reason);
        }

        @Override
        public void onFailure(WebSocket socket, Throwable error, Response response) {
            watches.remove(socket);
            inner.onFailure(socket, error, response);
        }
    }
}
