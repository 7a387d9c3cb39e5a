package dev.stockade.agent.dataplane;

import static dev.stockade.agent.dataplane.Given.ingressPolicy;
import static dev.stockade.agent.dataplane.Given.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.NodeRuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nft reconciler against a scripted fake of the operating system. */
class NftReconcilerTest {

    /** Records every command; answers from simple switches. */
    static final class FakeOs implements CommandRunner {
        final List<String> applied = new ArrayList<>();
        boolean nftInstalled = true;
        String bridgeSysctl = "1";
        boolean rejectDeltas;

        @Override
        public Result run(List<String> command, String stdin, Duration timeout) {
            if (!nftInstalled && command.contains("nft")) {
                return new Result(-1, "", "cannot start nft: No such file or directory");
            }
            if (command.contains("--version")) {
                return new Result(0, "nftables v1.0.6", "");
            }
            if (command.contains("cat")) {
                return bridgeSysctl == null ? new Result(1, "", "No such file") : new Result(0, bridgeSysctl + "\n", "");
            }
            if (command.contains("list")) {
                return new Result(0, "table inet stockade {\n}\n", "");
            }
            boolean snapshot = stdin.startsWith("table inet stockade\n");
            if (!snapshot && rejectDeltas) {
                return new Result(1, "", "Error: No such file or directory; did you mean table 'stockade'?");
            }
            applied.add(stdin);
            return new Result(0, "", "");
        }
    }

    private final FakeOs os = new FakeOs();
    private final NodeRuleSet denyAll = NftRendererTest.cluster().with(ingressPolicy("x", "deny", labels())).node("node-1");
    private final NodeRuleSet empty = NodeRuleSet.empty("node-1");

    @Test
    void theFirstReconcileReplacesTheTableAndLaterOnesApplyTheDifference() {
        NftReconciler reconciler = new NftReconciler(new Nft(os, "ns1"), NodeLayout.ROUTED);
        assertEquals(ReconcileOutcome.Mode.SNAPSHOT, mode(reconciler.reconcile(empty)));
        assertEquals(ReconcileOutcome.Mode.DELTA, mode(reconciler.reconcile(denyAll)));
        assertEquals(ReconcileOutcome.Mode.UNCHANGED, mode(reconciler.reconcile(denyAll)));
        assertEquals(2, os.applied.size());
        assertTrue(os.applied.get(1).startsWith("add chain inet stockade in-x/a"), os.applied.get(1));
    }

    @Test
    void aRejectedDeltaMeansTheKernelDriftedSoTheTableIsReplaced() {
        NftReconciler reconciler = new NftReconciler(new Nft(os, "ns1"), NodeLayout.ROUTED);
        reconciler.reconcile(empty);
        os.rejectDeltas = true;
        assertEquals(ReconcileOutcome.Mode.SNAPSHOT, mode(reconciler.reconcile(denyAll)));
        assertEquals(NftRenderer.render(denyAll), os.applied.get(1));
    }

    @Test
    void forgetMakesTheNextReconcileASnapshotWithoutRemovingAnything() {
        NftReconciler reconciler = new NftReconciler(new Nft(os, "ns1"), NodeLayout.ROUTED);
        reconciler.reconcile(denyAll);
        reconciler.forget();
        assertEquals(1, os.applied.size(), "forget runs nothing");
        assertEquals(ReconcileOutcome.Mode.SNAPSHOT, mode(reconciler.reconcile(denyAll)));
    }

    @Test
    void withoutNftNothingIsReportedRealized() {
        os.nftInstalled = false;
        ReconcileOutcome outcome = new NftReconciler(new Nft(os, "ns1"), NodeLayout.ROUTED).reconcile(denyAll);
        assertInstanceOf(ReconcileOutcome.Refused.class, outcome);
        assertFalse(outcome.realized());
    }

    @Test
    void aBridgedNodeWithBridgeNetfilterOffIsRefusedAndLeftUntouched() {
        os.bridgeSysctl = "0";
        ReconcileOutcome outcome = new NftReconciler(new Nft(os, "ns1"), NodeLayout.BRIDGED).reconcile(denyAll);
        assertInstanceOf(ReconcileOutcome.Refused.class, outcome);
        assertTrue(((ReconcileOutcome.Refused) outcome).reason().contains("net.bridge.bridge-nf-call-iptables is 0"), outcome.toString());
        assertTrue(os.applied.isEmpty());
    }

    @Test
    void aRoutedNodeNeedsNoBridgeNetfilter() {
        os.bridgeSysctl = null;
        assertTrue(new NftReconciler(new Nft(os, "ns1"), NodeLayout.ROUTED).reconcile(denyAll).realized());
    }

    private static ReconcileOutcome.Mode mode(ReconcileOutcome outcome) {
        return assertInstanceOf(ReconcileOutcome.Realized.class, outcome, outcome.toString()).mode();
    }
}
