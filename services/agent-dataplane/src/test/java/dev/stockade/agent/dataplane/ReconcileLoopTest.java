package dev.stockade.agent.dataplane;

import static dev.stockade.agent.dataplane.Given.ingressPolicy;
import static dev.stockade.agent.dataplane.Given.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stockade.core.compiled.NodeRuleSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's runner: newest state wins, bursts coalesce, resync replaces, refusals are not acked. */
class ReconcileLoopTest {

    private final RecordingReconciler reconciler = new RecordingReconciler();
    private final List<ReconcileLoop.Report> reports = new ArrayList<>();
    private final ReconcileLoop loop = new ReconcileLoop(reconciler, reports::add);
    private final NodeRuleSet one = NodeRuleSet.empty("node-1");
    private final NodeRuleSet two = NftRendererTest.cluster().with(ingressPolicy("x", "deny", labels())).node("node-1");

    @Test
    void aBurstOfStatesCoalescesIntoOneReconcileOfTheNewest() {
        loop.submit(one, 1);
        loop.submit(two, 2);
        loop.drain();
        assertEquals(1, reconciler.calls().size());
        assertEquals(two, reconciler.calls().get(0).desired());
        assertEquals(2, reports.get(0).generation());
        assertNull(loop.drain(), "nothing left to do");
    }

    @Test
    void aResyncForgetsAndReplacesTheWholeTable() {
        loop.submit(one, 1);
        loop.drain();
        loop.submit(two, 2);
        loop.drain();
        loop.resync();
        List<RecordingReconciler.Call> calls = reconciler.calls();
        assertEquals(ReconcileOutcome.Mode.DELTA, ((ReconcileOutcome.Realized) calls.get(1).outcome()).mode());
        assertEquals(ReconcileOutcome.Mode.SNAPSHOT, ((ReconcileOutcome.Realized) calls.get(2).outcome()).mode());
        assertEquals(NftRenderer.render(two), calls.get(2).script());
    }

    @Test
    void aRefusedReconcileIsReportedAsNotRealized() {
        reconciler.refuse("nft is not usable");
        loop.submit(two, 7);
        ReconcileLoop.Report report = loop.drain();
        assertFalse(report.outcome().realized());
        assertEquals(1, reconciler.forgets(), "the next attempt will be a full replace");
    }
}
