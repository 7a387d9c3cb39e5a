package dev.stockade.agent.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireJson;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent as a Quarkus service: it says hello with the token, ACKs a snapshot, and reports readiness and metrics. */
@QuarkusTest
@QuarkusTestResource(ScriptedDispatcher.class)
class AgentServiceTest {

    private static AgentStreamMessage next() throws Exception {
        String frame = ScriptedDispatcher.FRAMES.poll(20, TimeUnit.SECONDS);
        assertNotNull(frame, "the agent sent a frame");
        return WireJson.decodeAgentMessage(frame.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theAgentConnectsWithItsTokenAcksWhatItAppliesAndIsReady() throws Exception {
        AgentStreamMessage hello = next();
        assertEquals(AgentStreamMessage.HELLO, hello.type());
        assertEquals("test-node", hello.node());
        assertEquals("Bearer t0ken", ScriptedDispatcher.AUTHORIZATIONS.take());
        ScriptedDispatcher.SOCKETS.take().writeTextMessage(new String(WireJson.encode(AgentStreamMessage.snapshot(
                RuleDeltaCodec.toWire(NodeRuleSet.empty("test-node"), 4))), StandardCharsets.UTF_8));
        AgentStreamMessage ack = next();
        assertEquals(AgentStreamMessage.ACK, ack.type());
        assertEquals(4L, ack.generation());
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("stockade_agent_apply_seconds_count"));
    }
}
