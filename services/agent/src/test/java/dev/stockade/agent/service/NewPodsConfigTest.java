package dev.stockade.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.agent.dataplane.NewPods;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.compiled.NodeRuleSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The agent's new-pod settings ({@code fail-closed-new-pods}, {@code pod-cidrs}) as the reconciler receives them. */
class NewPodsConfigTest {

    /** The settings that matter here; everything else at its default. */
    private record Config(boolean failClosedNewPods, Optional<List<String>> podCidrs) implements AgentConfig {
        public String node() {
            return "node-1";
        }

        public String pool() {
            return "default";
        }

        public List<String> dispatchers() {
            return List.of("localhost:9000");
        }

        public Optional<String> token() {
            return Optional.empty();
        }

        public Optional<String> tokenFile() {
            return Optional.empty();
        }

        public Tls tls() {
            return Optional::empty;
        }

        public boolean allowPlaintext() {
            return false;
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

    private static final NodeRuleSet ONE_NEW_POD = new NodeRuleSet("node-1", new TreeMap<>(), new TreeMap<>(),
            new TreeMap<>(), new TreeMap<>(java.util.Map.of("x/new", new LocalPod("x/new", List.of("10.244.1.21")))));

    @Test
    void failClosedWithTheNodesPodCidrsGuardsThemAndOpensTheListedPods() {
        NewPods newPods = AgentService.newPods(new Config(true, Optional.of(List.of("10.244.1.0/24"))));
        assertTrue(newPods.failClosed());
        String script = script(new Config(true, Optional.of(List.of("10.244.1.0/24"))));
        assertTrue(script.contains("ip saddr @local-cidrs-4 ip saddr != @local-known-4 counter drop"), script);
        assertTrue(script.contains("set local-known-4 {\n\t\ttype ipv4_addr\n\t\telements = { 10.244.1.21 }"), script);
    }

    @Test
    void theFlagOffIsTheTableOfBefore() {
        assertEquals(script(new RecordingReconciler()), script(new Config(false, Optional.of(List.of("10.244.1.0/24")))));
        assertFalse(script(new Config(false, Optional.of(List.of("10.244.1.0/24")))).contains("local-"));
    }

    @Test
    void onWithoutPodCidrsHasNothingToGuard() {
        assertEquals(script(new RecordingReconciler()), script(new Config(true, Optional.empty())));
    }

    @Test
    void aPodCidrThatIsNotOneStopsTheStart() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AgentService.reconciler(new Config(true, Optional.of(List.of("10.244.1.0/33")))));
        assertTrue(refused.getMessage().contains("10.244.1.0/33"), refused.getMessage());
    }

    private static String script(Config config) {
        return script((RecordingReconciler) AgentService.reconciler(config));
    }

    private static String script(RecordingReconciler reconciler) {
        reconciler.reconcile(ONE_NEW_POD);
        return reconciler.calls().get(0).script();
    }
}
