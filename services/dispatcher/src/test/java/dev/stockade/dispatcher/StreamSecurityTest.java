package dev.stockade.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.replication.ReplicatedCaches;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** TLS is the default of the plain-Java runner, per-node tokens prove exactly their node. */
class StreamSecurityTest {

    private static final AgentAuthenticator NODES = NodeTokens.of(Map.of("node-a", "token-a", "node-b", "token-b"));

    @Test
    void aReplicaWithoutACertificateIsRefusedUnlessPlainTextIsExplicitlyAllowed() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new DispatcherReplica.Options(
                "c", ReplicatedCaches.LOOPBACK, "127.0.0.1", 0, NODES, null, false));
        assertTrue(refused.getMessage().contains("allowPlaintext"), refused.getMessage());
        assertTrue(DispatcherReplica.Options.plaintext("c", NODES).allowPlaintext());
        assertThrows(NullPointerException.class, () -> DispatcherReplica.Options.plaintext("c", null));
    }

    @Test
    void aNodeTokenProvesItsNodeAndNoOther() {
        assertEquals("node-a", NODES.authenticate("Bearer token-a").toCompletableFuture().join().node());
        assertEquals("node-b", NODES.authenticate("bearer  token-b ").toCompletableFuture().join().node());
        CompletionException unknown = assertThrows(CompletionException.class,
                () -> NODES.authenticate("Bearer token-c").toCompletableFuture().join());
        assertInstanceOf(AgentRefused.class, unknown.getCause());
        assertEquals("unknown token", unknown.getCause().getMessage());
        assertFalse(NODES.toString().contains("token-a"));
        assertThrows(IllegalArgumentException.class, () -> NodeTokens.of(Map.of("x", "same", "y", "same")));
        assertThrows(IllegalArgumentException.class, () -> NodeTokens.of(Map.of("x", " ")));
    }
}
