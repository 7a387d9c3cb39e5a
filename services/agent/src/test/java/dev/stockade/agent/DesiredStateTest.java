package dev.stockade.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.MemberPatch;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.compiled.PolicyPatch;
import dev.stockade.events.v1.RuleDeltaCodec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

    private static dev.stockade.events.v1.RuleDeltaRecord delta(String node, long g) {
        GroupPatch none = new GroupPatch(List.of(), List.of(), List.of());
        return RuleDeltaCodec.toWire(new NodeDelta(node, g, new PolicyPatch(List.of(), List.of()), none, none), g);
    }

    @Test
    void aDeltaAppliesOnlyToTheGenerationBeforeIt() throws Exception {
        DesiredState state = new DesiredState(NodeRuleSet.empty("n1"), 0);
        state.applyDelta(delta("n1", 1));
        assertEquals(1, state.generation());
        DesiredState.Rejected gap = assertThrows(DesiredState.Rejected.class, () -> state.applyDelta(delta("n1", 3)));
        assertTrue(gap.getMessage().startsWith("gap:"), gap.getMessage());
        assertEquals(1, state.generation(), "a refused delta changes nothing");
    }

    /** Threw IllegalStateException out of the agent's frame handler, which then sent no NACK (found by FrameFuzzTest). */
    @Test
    void aDeltaPatchingAGroupTheNodeDoesNotHaveIsRefusedAndChangesNothing() throws Exception {
        DesiredState state = new DesiredState(NodeRuleSet.empty("n1"), 0);
        GroupPatch unknown = new GroupPatch(List.of(), List.of(), List.of(new MemberPatch("nope", List.of(), List.of("x/a"))));
        DesiredState.Rejected refused = assertThrows(DesiredState.Rejected.class, () -> state.applyDelta(RuleDeltaCodec.toWire(
                new NodeDelta("n1", 1, new PolicyPatch(List.of(), List.of()), GroupPatch.EMPTY, unknown), 1)));
        assertEquals("decode: member patch for group nope the node does not have", refused.getMessage());
        assertEquals(0, state.generation());
        assertEquals(NodeRuleSet.empty("n1"), state.ruleSet());
    }

    @Test
    void aSnapshotReplacesWhateverWasHeldButOnlyForThisNode() throws Exception {
        DesiredState state = new DesiredState(NodeRuleSet.empty("n1"), 4);
        state.applySnapshot(RuleDeltaCodec.toWire(NodeRuleSet.empty("n1"), 9));
        assertEquals(9, state.generation());
        assertThrows(DesiredState.Rejected.class, () -> state.applySnapshot(RuleDeltaCodec.toWire(NodeRuleSet.empty("n2"), 10)));
    }

    @Test
    void backoffDoublesToItsCapWithJitterBetweenHalfAndAll() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.0);
        Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.999_999);
        assertEquals(50, low.delay(1).toMillis());
        assertEquals(99, high.delay(1).toMillis());
        assertEquals(399, high.delay(3).toMillis());
        assertEquals(4999, high.delay(30).toMillis(), "capped");
        assertEquals(2500, low.delay(30).toMillis());
    }

    @Test
    void addressesBecomeStreamEndpoints() {
        assertEquals("ws://d.stockade.svc:9000/v1/agent-stream", AgentSettings.endpoint("d.stockade.svc:9000").toString());
        assertEquals("wss://d:9000/x", AgentSettings.endpoint("wss://d:9000/x").toString());
    }
}
