package dev.stockade.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The service's start-up check: the agent stream is TLS only, or plain text was explicitly allowed. */
class StreamSecurityConfigTest {

    @Test
    void tlsOnlyNeedsATlsConfigurationAndInsecureRequestsDisabled() {
        assertEquals("TLS", DispatcherService.streamSecurity(false, Optional.of("agent-stream"), Optional.of("disabled")));
    }

    @Test
    void aPlainStreamRefusesToStartUnlessAllowed() {
        for (var plain : new Object[][] {{Optional.empty(), Optional.of("disabled")},
                {Optional.of("agent-stream"), Optional.of("enabled")}, {Optional.of("agent-stream"), Optional.empty()}}) {
            @SuppressWarnings("unchecked")
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> DispatcherService.streamSecurity(
                    false, (Optional<String>) plain[0], (Optional<String>) plain[1]));
            assertTrue(refused.getMessage().contains("stockade.dispatcher.allow-plaintext=true"), refused.getMessage());
        }
        assertEquals("plain ws:// (allowed explicitly)",
                DispatcherService.streamSecurity(true, Optional.empty(), Optional.of("enabled")));
    }
}
