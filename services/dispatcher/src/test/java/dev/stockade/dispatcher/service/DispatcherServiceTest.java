package dev.stockade.dispatcher.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.PolicyPatch;
import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireJson;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher as a Quarkus service: the websockets-next endpoint serves TLS only, refuses an agent
 * without a token of its node, refuses a hello for another node than the token's, streams a node's
 * delta from the rules topic to its agent, takes its ACK; health and the dashboard's metric names are
 * on the management interface.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class DispatcherServiceTest {

    @TestHTTPResource(value = "/v1/agent-stream", tls = true)
    URI stream;

    @TestHTTPResource(value = "/", management = true)
    URL management; // http://host:port/q/ on the management interface

    @Test
    void anAgentWithItsNodesTokenGetsItsNodesDeltasAndItsAckIsCounted() throws Exception {
        assertTrue(stream.toString().startsWith("https://"), stream.toString());
        URI ws = URI.create(stream.toString().replaceFirst("^https", "wss"));
        HttpClient client = HttpClient.newBuilder().sslContext(LocalKafkaResource.ca.trustingContext()).build();
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> client.newWebSocketBuilder().header("Authorization", "Bearer wrong")
                        .buildAsync(ws, new WebSocket.Listener() { }).join());
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException handshake
                && handshake.getResponse().statusCode() == 401, String.valueOf(refused.getCause()));

        java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();
        WebSocket other = client.newWebSocketBuilder().header("Authorization", "Bearer token-of-other-node")
                .buildAsync(ws, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                        closed.complete(code + " " + reason);
                        return null;
                    }
                }).join();
        other.sendText(text(AgentStreamMessage.hello("lone-node", 0)), true).join();
        assertEquals("1008 hello for node lone-node refused: credential is for node other-node",
                closed.get(10, TimeUnit.SECONDS));

        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket agent = client.newWebSocketBuilder().header("Authorization", "Bearer token-of-lone-node")
                .buildAsync(ws, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        socket.request(1);
                        return null;
                    }
                }).join();
        agent.sendText(text(AgentStreamMessage.hello("lone-node", 0)), true).join();
        publishDelta("lone-node", 1);
        String frame = frames.poll(20, TimeUnit.SECONDS);
        assertTrue(frame != null, "a frame arrived");
        AgentStreamMessage delta = WireJson.decodeAgentMessage(frame.getBytes(StandardCharsets.UTF_8));
        assertEquals(AgentStreamMessage.DELTA, delta.type());
        assertEquals(1L, delta.generation());
        agent.sendText(text(AgentStreamMessage.ack("lone-node", 1)), true).join();

        String metrics = management + "metrics";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!given().get(metrics).asString().contains("stockade_dispatcher_propagation_seconds_count 1.0")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        given().get(metrics).then().statusCode(200)
                .body(containsString("stockade_dispatcher_agents_connected 1.0"))
                .body(containsString("stockade_dispatcher_sends_total{type=\"delta\"} 1.0"))
                .body(containsString("stockade_dispatcher_generations_behind_bucket"))
                .body(containsString("stockade_dispatcher_generations_behind_max"))
                .body(containsString("stockade_dispatcher_propagation_seconds_count 1.0"));
        given().get(management + "health/ready").then().statusCode(200);
        agent.abort();
    }

    private static String text(AgentStreamMessage message) {
        return new String(WireJson.encode(message), StandardCharsets.UTF_8);
    }

    private static void publishDelta(String node, long generation) {
        GroupPatch none = new GroupPatch(List.of(), List.of(), List.of());
        byte[] value = WireJson.encode(RuleDeltaCodec.toWire(new NodeDelta(node, generation,
                new PolicyPatch(List.of(), List.of()), none, none), 0));
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafkaResource.kafka.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
            producer.send(new ProducerRecord<>("stockade.rules", node, value));
        }
    }
}
