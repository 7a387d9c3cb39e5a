package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.localkafka.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two compiler replicas, a real KRaft broker and a real 2-member Infinispan cluster over JGroups
 * on loopback. The deltas the pipeline publishes, folded per node, must equal a full compile of
 * the final state; generations must have no gap and no repeat, across a take-over too. Each test
 * feeds some of the project's own cases and, when {@code ../shared/conformance} is there, the
 * upstream cases it fed before ({@link NetpolCases}).
 */
class CompilerReplicationTest {

    private LocalKafka kafka;
    private EmbeddedCacheManager memberA;
    private EmbeddedCacheManager memberB;
    private final List<CompilerLoop> replicas = new java.util.concurrent.CopyOnWriteArrayList<>();
    private PipelineHarness harness;
    /** The cases fed so far, named by corpus, for failure messages. */
    private final List<String> fed = new ArrayList<>();

    @BeforeAll
    static void jgroupsPortBlock() {
        System.setProperty("stockade.jgroups.port", "7920");
    }

    @BeforeEach
    void cluster(org.junit.jupiter.api.TestInfo test) {
        String topicsSuffix = "";
        kafka = LocalKafka.start();
        PipelineHarness.createTopics(kafka);
        String clusterName = "compiler-test-" + test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
        memberA = CacheManagers.start(clusterName, "a", "jgroups-loopback.xml");
        memberB = CacheManagers.start(clusterName, "b", "jgroups-loopback.xml");
        harness = new PipelineHarness(kafka);
        assertEquals(2, memberA.getMembers().size(), "both Infinispan members joined" + topicsSuffix);
    }

    @AfterEach
    void stop() throws Exception {
        replicas.forEach(CompilerLoop::close);
        harness.close();
        memberB.stop();
        memberA.stop();
        kafka.close();
        Thread.sleep(200);
    }

    private CompilerLoop start(String name, EmbeddedCacheManager member) {
        CompilerLoop replica = PipelineHarness.replica(kafka, name, member.getCache(CacheManagers.STATE_CACHE));
        replicas.add(replica);
        Thread thread = new Thread(replica, "compiler-" + name);
        thread.setDaemon(true);
        thread.start();
        return replica;
    }

    private void feed(List<NetpolCases.Case> cases) throws Exception {
        for (NetpolCases.Case next : cases) {
            harness.feedCase(next.dir());
            fed.add(next.toString());
        }
    }

    @Test
    void conformanceCasesThroughTheBrokerFoldToTheFullCompileOfEveryNode() throws Exception {
        start("a", memberA);
        start("b", memberB);
        feed(NetpolCases.ownThenUpstream(
                List.of("np01-default-deny-ingress", "np10-update-relabel-delete", "np05-pod-and-namespace-selector-peers",
                        "np13-stacked-policies-are-additive", "np09-ipblock-except"),
                List.of("up01-default-deny-ingress", "up20-enforce-updated-policy", "up22-ingress-from-updated-pod",
                        "up33-stop-enforcing-after-delete", "up35-egress-cidr-except")));
        assertPublishedDeltasFoldToAFullCompile(harness.drainRules(new ArrayList<>(), Duration.ofSeconds(3)));
    }

    @Test
    void whenTheActiveStopsMidStreamTheStandbyContinuesWithoutGapsOrRepeats() throws Exception {
        CompilerLoop a = start("a", memberA);
        CompilerLoop b = start("b", memberB);
        feed(NetpolCases.ownThenUpstream(List.of("np10-update-relabel-delete"), List.of("up20-enforce-updated-policy")));
        List<NodeDelta> deltas = harness.drainRules(new ArrayList<>(), Duration.ofSeconds(2));
        CompilerLoop active = a.role() == CompilerLoop.Role.ACTIVE ? a : b;
        CompilerLoop standby = active == a ? b : a;
        assertEquals(CompilerLoop.Role.STANDBY, standby.role());
        waitFor(standby::rehearsed);
        active.close();
        feed(NetpolCases.ownThenUpstream(List.of("np05-pod-and-namespace-selector-peers", "np09-ipblock-except"),
                List.of("up22-ingress-from-updated-pod", "up36-ip-in-both-cidr-and-except")));
        harness.drainRules(deltas, Duration.ofSeconds(8));
        assertEquals(CompilerLoop.Role.ACTIVE, standby.role());
        assertPublishedDeltasFoldToAFullCompile(deltas);
    }

    /**
     * A standby joining or leaving bumps the group's generation without moving the partition
     * (ActiveReplicaAssignor); the active's batch in flight then sends its offsets under the old
     * generation and is refused. The active must carry on publishing, not step down while it
     * still holds the partition (which once left the pipeline with no active compiler at all).
     */
    @Test
    void standbysJoiningAndLeavingWhileTheActiveCommitsLeaveItActiveAndPublishing() throws Exception {
        CompilerLoop a = start("a", memberA);
        waitFor(() -> a.role() == CompilerLoop.Role.ACTIVE);
        List<NetpolCases.Case> cases = NetpolCases.ownThenUpstream(
                List.of("np10-update-relabel-delete", "np05-pod-and-namespace-selector-peers"),
                List.of("up20-enforce-updated-policy"));
        Thread membership = new Thread(() -> {
            try {
                Thread.sleep(300);
                CompilerLoop b = start("b", memberB);
                Thread.sleep(1500);
                b.close();
                Thread.sleep(700);
                start("b", memberB);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "standby-joins");
        membership.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int rounds = 0;
        while (System.nanoTime() < until) {
            for (NetpolCases.Case next : cases) {
                harness.feedCase(next.dir());
            }
            rounds++;
        }
        membership.join();
        fed.add(rounds + " rounds of " + cases);
        List<NodeDelta> deltas = harness.drainRules(new ArrayList<>(), Duration.ofSeconds(4));
        assertEquals(CompilerLoop.Role.ACTIVE, a.role(), "a standby's join or leave does not move the partition");
        assertPublishedDeltasFoldToAFullCompile(deltas);
    }

    @Test
    void aCrashBetweenTheStateWriteAndTheKafkaCommitIsRepairedByTheNextActive() throws Exception {
        CompilerLoop a = start("a", memberA);
        waitFor(() -> a.role() == CompilerLoop.Role.ACTIVE);
        feed(NetpolCases.ownThenUpstream(List.of("np01-default-deny-ingress"), List.of("up01-default-deny-ingress")));
        List<NodeDelta> deltas = harness.drainRules(new ArrayList<>(), Duration.ofSeconds(2));
        a.crashAfterNextStateWrite();
        feed(NetpolCases.ownThenUpstream(List.of("np10-update-relabel-delete"), List.of("up20-enforce-updated-policy")));
        waitFor(() -> a.role() != CompilerLoop.Role.ACTIVE);
        start("b", memberB);
        harness.drainRules(deltas, Duration.ofSeconds(8));
        assertPublishedDeltasFoldToAFullCompile(deltas);
    }

    @Test
    void aPoisonRecordAndAnInvalidPolicyStopNothing() throws Exception {
        start("a", memberA);
        harness.send("Pod/x/garbage", "this is not a resource record".getBytes(StandardCharsets.UTF_8));
        harness.send("Deployment/x/web", "{}".getBytes(StandardCharsets.UTF_8));
        harness.upsert(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"bad","namespace":"x"},
                 "spec":{"podSelector":{},"ingress":[{"from":[{"ipBlock":{"cidr":"10.0.0.0/33"}}]}]}}"""));
        feed(NetpolCases.ownThenUpstream(List.of("np07-named-ports-and-end-port"), List.of("up17-ingress-one-named-port")));
        assertPublishedDeltasFoldToAFullCompile(harness.drainRules(new ArrayList<>(), Duration.ofSeconds(3)));
        assertEquals(2, harness.drainDeadLetters(Duration.ofSeconds(1)).size());
        StatusRecord rejected = WireJson.decodeStatus(harness.drainStatus(Duration.ofSeconds(1)).get(0).value());
        assertEquals("bad", rejected.name());
        assertEquals("spec.ingress[0].from[0].ipBlock.cidr", rejected.field());
    }

    @Test
    void aResyncRequestIsAnsweredWithSnapshotsEqualToTheFoldOfTheDeltas() throws Exception {
        start("a", memberA);
        feed(NetpolCases.ownThenUpstream(List.of("np10-update-relabel-delete"), List.of("up20-enforce-updated-policy")));
        List<NodeDelta> deltas = harness.drainRules(new ArrayList<>(), Duration.ofSeconds(2));
        harness.requestResync(List.of());
        List<dev.stockade.events.v1.RuleSetRecord> snapshots = new ArrayList<>();
        harness.drainRules(deltas, snapshots, Duration.ofSeconds(2));
        DeltaFold fold = new DeltaFold();
        deltas.forEach(fold::apply);
        assertEquals(fold.nonEmptyRuleSets().keySet(), new TreeSet<>(snapshots.stream().map(s -> s.node()).toList()));
        for (var snapshot : snapshots) {
            assertEquals(fold.ruleSet(snapshot.node()), dev.stockade.events.v1.RuleDeltaCodec.fromWire(snapshot));
            assertEquals(fold.generation(snapshot.node()), snapshot.generation());
        }
    }

    private void assertPublishedDeltasFoldToAFullCompile(List<NodeDelta> deltas) {
        DeltaFold fold = new DeltaFold();
        deltas.forEach(fold::apply);
        CompiledCluster full = Compiler.compile(harness.reference().state());
        Set<String> nodes = new TreeSet<>(full.ruleSets().keySet());
        nodes.addAll(fold.nonEmptyRuleSets().keySet());
        assertTrue(!nodes.isEmpty(), "the pipeline produced rules");
        for (String node : nodes) {
            assertEquals(full.ruleSetFor(node), fold.ruleSet(node), "node " + node + " after " + fed);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(50);
        }
    }
}
