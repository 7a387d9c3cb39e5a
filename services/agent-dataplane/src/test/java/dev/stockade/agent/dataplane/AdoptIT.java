package dev.stockade.agent.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ResourceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A restarted agent adopts the table the kernel kept, on real nftables (issue 13): for every own
 * conformance case, each node's table is built as a running agent builds it (a snapshot, then every
 * event as a delta, fail closed for new pods), then a fresh {@link NftReconciler} is asked to
 * {@link NftReconciler#adopt adopt} the final rule set: it must (the table grown by deltas lists its
 * sets, chains and elements in another order than a table loaded at once), write nothing (the table
 * keeps its handle), leave no check table behind, and go on with deltas. A rule set that differs
 * (the case's first one, when the case changes anything) is not adopted. Bare network namespaces,
 * no packets; skips itself like {@link NftablesConformanceIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdoptIT {

    private static final Pattern HANDLE = Pattern.compile("table inet stockade \\{ # handle (\\d+)");
    private static final NewPods FAIL_CLOSED = NewPods.of(true, List.of("10.0.0.0/8"));
    private final String netns = "sdadopt-" + ProcessHandle.current().pid();
    private final CommandRunner os = CommandRunner.process();

    @BeforeAll
    void namespace() {
        assumeTrue(RealCluster.canRun(), RealCluster.whyNot());
        assertTrue(run("ip", "netns", "add", netns).ok());
    }

    @AfterAll
    void remove() {
        run("ip", "netns", "delete", netns);
    }

    static Stream<String> cases() throws IOException {
        try (Stream<java.nio.file.Path> dirs = Files.list(ConformanceCase.ownCorpus())) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aFreshReconcilerAdoptsTheTableItsPredecessorGrewByDeltas(String name) {
        ConformanceCase conformance = ConformanceCase.own(name);
        Engine engine = new Engine();
        conformance.manifests().forEach(resource -> engine.apply(ResourceEvent.added(resource)));
        TreeSet<String> nodes = new TreeSet<>();
        conformance.pods().forEach(pod -> nodes.add(pod.nodeName()));
        Map<String, NodeRuleSet> first = new TreeMap<>();
        Map<String, NodeRuleSet> last = new TreeMap<>();
        nodes.forEach(node -> first.put(node, engine.ruleSet(node)));
        last.putAll(first);
        for (ResourceEvent event : conformance.events()) {
            for (NodeDelta delta : engine.apply(event).deltas()) {
                last.computeIfPresent(delta.node(), (node, before) -> before.apply(delta));
            }
        }
        List<String> failures = new ArrayList<>();
        for (String node : nodes) {
            Nft nft = new Nft(os, netns);
            NftReconciler running = new NftReconciler(nft, NodeLayout.ROUTED, FAIL_CLOSED);
            assertTrue(running.reconcile(first.get(node)).realized());
            assertTrue(running.reconcile(last.get(node)).realized());
            long handle = handle();

            NftReconciler restarted = new NftReconciler(nft, NodeLayout.ROUTED, FAIL_CLOSED);
            if (!first.get(node).equals(last.get(node))) {
                assertFalse(restarted.adopt(first.get(node)), name + " " + node + ": another rule set is not adopted");
            }
            if (!restarted.adopt(last.get(node))) {
                failures.add(node + ": not adopted");
                continue;
            }
            ReconcileOutcome again = restarted.reconcile(last.get(node));
            assertEquals(ReconcileOutcome.Mode.UNCHANGED, assertInstanceOf(ReconcileOutcome.Realized.class, again).mode());
            assertEquals(handle, handle(), name + " " + node + ": the table was not re-created");
            assertFalse(run("ip", "netns", "exec", netns, "nft", "list", "table", "inet", NftReconciler.CHECK_TABLE).ok(),
                    "the check table is gone");
            ReconcileOutcome back = restarted.reconcile(first.get(node));
            assertTrue(back.realized());
            if (!first.get(node).equals(last.get(node))) {
                assertEquals(ReconcileOutcome.Mode.DELTA, ((ReconcileOutcome.Realized) back).mode(), "deltas on the adopted table");
            }
        }
        assertTrue(failures.isEmpty(), name + ": " + failures);
    }

    private long handle() {
        Matcher matcher = HANDLE.matcher(run("ip", "netns", "exec", netns, "nft", "-a", "list", "table", "inet", "stockade").stdout());
        assertTrue(matcher.find());
        return Long.parseLong(matcher.group(1));
    }

    private CommandRunner.Result run(String... command) {
        return os.run(List.of(command), null, java.time.Duration.ofSeconds(20));
    }
}
