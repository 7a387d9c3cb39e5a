package dev.stockade.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service with plain ws:// explicitly allowed (the two settings application.properties names; no
 * certificate files needed): the stream is plain, and a node's token still proves only its node.
 */
@QuarkusTest
@TestProfile(PlaintextServiceTest.Plaintext.class)
@QuarkusTestResource(LocalKafkaResource.class)
class PlaintextServiceTest {

    /** Plain text allowed explicitly; no TLS configuration for the HTTP server. */
    public static class Plaintext implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockade.dispatcher.allow-plaintext", "true",
                    "quarkus.config.profile.parent", "agent-stream-plain",
                    "stockade.dispatcher.tls.cert", "/nonexistent/tls.crt",
                    "stockade.dispatcher.tls.key", "/nonexistent/tls.key");
        }
    }

    @TestHTTPResource("/v1/agent-stream")
    URI stream;

    @Test
    void withPlainTextAllowedTheStreamIsPlainAndStillBoundToTheTokensNode() throws Exception {
        assertTrue(stream.toString().startsWith("http://"), stream.toString());
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket other = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer token-of-other-node")
                .buildAsync(URI.create(stream.toString().replaceFirst("^http", "ws")), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                        closed.complete(code + " " + reason);
                        return null;
                    }
                }).join();
        other.sendText("{\"schemaVersion\":1,\"type\":\"hello\",\"node\":\"lone-node\",\"generation\":0}", true).join();
        assertEquals("1008 hello for node lone-node refused: credential is for node other-node",
                closed.get(10, TimeUnit.SECONDS));
    }
}
