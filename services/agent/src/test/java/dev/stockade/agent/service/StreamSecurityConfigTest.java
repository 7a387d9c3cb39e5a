package dev.stockade.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.agent.AgentSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's stream settings as the service builds them: wss:// by default, plain only when allowed, the token file re-read. */
class StreamSecurityConfigTest {

    private record Config(List<String> dispatchers, Optional<String> tokenFile, Optional<String> ca, boolean allowPlaintext)
            implements AgentConfig {
        public String node() {
            return "node-1";
        }

        public String pool() {
            return "default";
        }

        public Optional<String> token() {
            return Optional.empty();
        }

        public Tls tls() {
            return () -> ca;
        }

        public Optional<String> stateDir() {
            return Optional.empty();
        }

        public String reconciler() {
            return "recording";
        }

        public String nodeLayout() {
            return "ROUTED";
        }

        public boolean failClosedNewPods() {
            return false;
        }

        public Optional<List<String>> podCidrs() {
            return Optional.empty();
        }

        public boolean nodeTaint() {
            return false;
        }

        public Duration initialBackoff() {
            return Duration.ofMillis(200);
        }

        public Duration maxBackoff() {
            return Duration.ofSeconds(10);
        }

        public Duration resyncPeriod() {
            return Duration.ofMinutes(5);
        }

        public Duration retryDelay() {
            return Duration.ofSeconds(2);
        }
    }

    @Test
    void aHostAndPortIsWssByDefault() {
        AgentSettings settings = AgentService.settings(new Config(List.of("d.stockade.svc:9000"), Optional.empty(),
                Optional.empty(), false));
        assertEquals("wss://d.stockade.svc:9000/v1/agent-stream", settings.dispatchers().get(0).toString());
        assertFalse(settings.allowPlaintext());
    }

    @Test
    void aPlainWsAddressStopsTheStartUnlessPlainTextIsAllowed() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AgentService.settings(
                new Config(List.of("ws://d:9000/v1/agent-stream"), Optional.empty(), Optional.empty(), false)));
        assertTrue(refused.getMessage().contains("stockade.agent.allow-plaintext=true"), refused.getMessage());
        AgentSettings allowed = AgentService.settings(new Config(List.of("d:9000"), Optional.empty(), Optional.empty(), true));
        assertEquals("ws://d:9000/v1/agent-stream", allowed.dispatchers().get(0).toString());
    }

    @Test
    void theTokenFileIsReadAgainAtEveryConnectSoARotatedTokenIsPresented(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first-token\n");
        AgentSettings settings = AgentService.settings(new Config(List.of("d:9000"), Optional.of(file.toString()),
                Optional.empty(), false));
        assertEquals("first-token", settings.token());
        Files.writeString(file, "rotated-token");
        assertEquals("rotated-token", settings.token());
        Files.delete(file);
        assertNull(settings.token(), "an unreadable token file gives no token (the connect is refused and retried)");
        assertFalse(settings.toString().contains("token\""), settings.toString());
    }

    @Test
    void aCaBundleWithoutCertificatesStopsTheStart(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "not a certificate");
        assertThrows(IllegalArgumentException.class, () -> AgentService.settings(new Config(List.of("d:9000"),
                Optional.empty(), Optional.of(ca.toString()), false)));
        assertNotNull(AgentService.settings(new Config(List.of("d:9000"), Optional.empty(), Optional.empty(), false)));
    }
}
