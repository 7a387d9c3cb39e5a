package dev.stockade.dispatcher.service;

import dev.stockade.dispatcher.AgentSession;
import dev.stockade.dispatcher.AgentWire;
import dev.stockade.dispatcher.NodeIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent stream in the Quarkus service (websockets-next, on the HTTP port 9000; health and
 * metrics are on the management port 8080), over TLS unless plain was explicitly allowed
 * ({@link DispatcherService}). Authentication happens before the upgrade ({@link AgentUpgradeCheck});
 * each connection becomes a session of the core's hub, bound to the node its credential proved.
 */
@WebSocket(path = "/v1/agent-stream")
public class AgentStreamEndpoint {

    private final DispatcherService service;
    private final AgentUpgradeCheck check;
    private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();

    AgentStreamEndpoint(DispatcherService service, AgentUpgradeCheck check) {
        this.service = service;
        this.check = check;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        NodeIdentity identity = check.claim(connection.handshakeRequest().header("Authorization"),
                connection.handshakeRequest().header("Sec-WebSocket-Key"));
        if (identity == null) {
            new Wire(connection).close(1008, "not authenticated");
            return;
        }
        sessions.put(connection.id(), service.core().hub().open(new Wire(connection), identity));
    }

    @OnTextMessage
    void message(WebSocketConnection connection, String text) {
        AgentSession session = sessions.get(connection.id());
        if (session != null) {
            service.core().hub().received(session, text);
        }
    }

    @OnClose
    void close(WebSocketConnection connection) {
        AgentSession session = sessions.remove(connection.id());
        if (session != null) {
            service.core().hub().closed(session);
        }
    }

    private record Wire(WebSocketConnection connection) implements AgentWire {
        @Override
        public CompletionStage<Void> send(String text) {
            return connection.sendText(text).subscribeAsCompletionStage();
        }

        @Override
        public void close(int code, String reason) {
            connection.close(new CloseReason(code, reason))
                    .subscribe().with(ignored -> { }, failure -> { });
        }

        @Override
        public String remote() {
            return connection.id();
        }
    }
}
