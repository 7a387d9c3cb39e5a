package dev.stockade.dispatcher;

import java.util.concurrent.CompletionStage;

/**
 * One agent's WebSocket as the session logic sees it, whatever server carries it (Vert.x in the
 * plain-Java runner, websockets-next in the Quarkus service).
 */
public interface AgentWire {

    /** Writes a text frame; completes when it is handed to the socket, exceptionally when the connection is gone. */
    CompletionStage<Void> send(String text);

    /** Closes the connection with a WebSocket close code and a reason of at most 120 characters (never secret). */
    void close(int code, String reason);

    /** The peer's address, for logs. */
    String remote();
}
