package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.localkafka.LocalKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every compiler replica loses its memory (the whole Infinispan cluster is stopped) while the
 * group's offset survives in Kafka: the next active rebuilds from {@code stockade.resources},
 * publishes every node's whole rule set in a new lineage of generations, and continues. A
 * consumer that follows the rules topic as a dispatcher does (a snapshot replaces when newer, a
 * delta applies at the next generation, one at or below the current is stale) ends with exactly
 * the full compile of the final state, never skips the new lineage as stale, never meets a gap,
 * and is never handed an empty rule set.
 */
class StateLossTest {

    private LocalKafka kafka;
    private PipelineHarness harness;
    private final List<CompilerLoop> replicas = new ArrayList<>();
    private final List<EmbeddedCacheManager> members = new ArrayList<>();

    @BeforeAll
    static void jgroupsPortBlock() {
        System.setProperty("stockade.jgroups.port", "7910");
    }

    @AfterEach
    void stop() throws Exception {
        replicas.forEach(CompilerLoop::close);
        if (harness != null) {
            harness.close();
        }
        members.forEach(EmbeddedCacheManager::stop);
        if (kafka != null) {
            kafka.close();
        }
        Thread.sleep(200);
    }

    @Test
    void allReplicasLosingTheirMemoryRebuildFromTheTopicIntoANewLineage() throws Exception {
        kafka = LocalKafka.start();
        PipelineHarness.createTopics(kafka);
        harness = new PipelineHarness(kafka);
        String first = "state-loss-1-" + System.nanoTime();
        EmbeddedCacheManager a = member(first, "a");
        EmbeddedCacheManager b = member(first, "b");
        CompilerLoop compilerA = start("a", a);
        CompilerLoop compilerB = start("b", b);
        feed(List.of("np10-update-relabel-delete", "np05-pod-and-namespace-selector-peers"));
        RulesFollower follower = new RulesFollower();
        follower.follow(harness.drainRuleRecords(Duration.ofSeconds(2)));
        assertEquals(List.of(), follower.gaps, "no gap");
        assertEqualsFullCompile(follower);
        Map<String, Long> before = new HashMap<>(follower.generations);

        // Every replica goes, and their memory with them: the whole Infinispan cluster is stopped.
        compilerA.close();
        compilerB.close();
        replicas.clear();
        Thread.sleep(300);
        a.stop();
        b.stop();
        members.clear();

        String second = "state-loss-2-" + System.nanoTime();
        start("c", member(second, "c"));
        start("d", member(second, "d"));
        feed(List.of("np09-ipblock-except"));
        List<ConsumerRecord<String, byte[]>> after = harness.drainRuleRecords(Duration.ofSeconds(8));
        follower.follow(after);
        assertEquals(List.of(), follower.gaps, "no gap");

        assertEquals(0, follower.stale, "nothing of the new lineage was skipped as stale");
        assertFalse(follower.snapshotNodes.isEmpty(), "the rebuild published snapshots");
        assertTrue(follower.snapshotNodes.containsAll(before.keySet().stream()
                        .filter(node -> !follower.ruleSetBeforeFirstSnapshot.getOrDefault(node, NodeRuleSet.empty(node)).isEmpty())
                        .toList()),
                "every node that held rules got its whole rule set in the new lineage: " + follower.snapshotNodes);
        for (String node : follower.snapshotNodes) {
            assertTrue(follower.generations.get(node) > before.getOrDefault(node, 0L), node + " moved to a newer lineage");
        }
        assertEquals(List.of(), follower.emptySnapshots, "no node was handed an empty rule set as current");
        assertEqualsFullCompile(follower);
    }

    private EmbeddedCacheManager member(String cluster, String name) {
        EmbeddedCacheManager member = CacheManagers.start(cluster, name, "jgroups-loopback.xml");
        members.add(member);
        return member;
    }

    private CompilerLoop start(String name, EmbeddedCacheManager member) {
        CompilerLoop replica = PipelineHarness.replica(kafka, name, member.getCache(CacheManagers.STATE_CACHE));
        replicas.add(replica);
        Thread thread = new Thread(replica, "compiler-" + name);
        thread.setDaemon(true);
        thread.start();
        return replica;
    }

    private void feed(List<String> ownCases) throws Exception {
        for (NetpolCases.Case next : NetpolCases.ownThenUpstream(ownCases, List.of())) {
            harness.feedCase(next.dir());
        }
    }

    private void assertEqualsFullCompile(RulesFollower follower) {
        CompiledCluster full = Compiler.compile(harness.reference().state());
        Set<String> nodes = new TreeSet<>(full.ruleSets().keySet());
        nodes.addAll(follower.ruleSets.keySet());
        assertFalse(nodes.isEmpty());
        for (String node : nodes) {
            assertEquals(full.ruleSetFor(node), follower.ruleSets.getOrDefault(node, NodeRuleSet.empty(node)), "node " + node);
        }
    }
}
