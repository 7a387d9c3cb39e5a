package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Split brain: a real 2-member Infinispan cluster over JGroups on loopback is partitioned for
 * real (JGroups' DISCARD protocol inserted above the transport on both members, dropping every
 * message from the other; failure detection then installs a view of one on each side), so each
 * side's replicated state names its own replica as the owner and the Infinispan owner check
 * fences nobody. The active replica stalls (a long pause) holding a batch; Kafka gives the
 * partition to the other, which becomes active from its side's state; then the stalled one
 * carries on as if it were still active and commits its batch to its side of the state. Only
 * Kafka stands between them: the shared transactional id (the newer producer's epoch fences the
 * older one) and the consumer-group generation of the offsets committed in each transaction.
 *
 * <p>Read from {@code stockade.rules} as a dispatcher reads it ({@code read_committed}): one
 * lineage per node, gap-free and monotone (no generation published twice, none skipped), equal to
 * a full compile of the final state; and nothing the stalled replica produced is visible (its
 * clock runs a century ahead, so every status record it writes is recognisable).
 */
class SplitBrainTest {

    private static final Duration CENTURY = Duration.ofDays(36_525);

    private LocalKafka kafka;
    private PipelineHarness harness;
    private final List<CompilerLoop> replicas = new ArrayList<>();
    private final List<EmbeddedCacheManager> members = new ArrayList<>();

    @BeforeAll
    static void jgroupsPortBlock() {
        System.setProperty("stockade.jgroups.port", "7900");
    }

    @AfterEach
    void stop() throws Exception {
        replicas.forEach(CompilerLoop::close);
        Thread.sleep(300);
        if (harness != null) {
            harness.close();
        }
        members.forEach(EmbeddedCacheManager::stop);
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void twoReplicasThatBothBelieveTheyAreActiveNeverBothPublish() throws Exception {
        kafka = LocalKafka.start();
        PipelineHarness.createTopics(kafka);
        harness = new PipelineHarness(kafka);
        String cluster = "split-brain-" + System.nanoTime();
        EmbeddedCacheManager memberA = member(cluster, "a");
        EmbeddedCacheManager memberB = member(cluster, "b");
        assertEquals(2, memberA.getMembers().size(), "both Infinispan members joined");
        CompilerLoop a = start("a", memberA, Clock.offset(Clock.systemUTC(), CENTURY));
        await("a active", () -> a.role() == CompilerLoop.Role.ACTIVE, Duration.ofSeconds(30));
        CompilerLoop b = start("b", memberB, Clock.systemUTC());
        await("b standby", () -> b.role() == CompilerLoop.Role.STANDBY, Duration.ofSeconds(30));
        feed("np10-update-relabel-delete", "np05-pod-and-namespace-selector-peers");
        RulesFollower follower = new RulesFollower();
        follower.follow(harness.drainRuleRecords(Duration.ofSeconds(2)));
        assertEquals(CompilerLoop.Role.ACTIVE, a.role());

        // a stalls holding a batch (with a rejected policy, so it would write a status record); it
        // stops polling. Stalled first, then partitioned: b evicts a from the group as soon as a
        // leaves its view, and a polling meanwhile would notice and step down before the stall.
        CountDownLatch release = new CountDownLatch(1);
        a.stallBeforeNextCommit(release);
        harness.upsert(badPolicy());
        feed("np09-ipblock-except");
        await("a stalled holding a batch", a::stalled, Duration.ofSeconds(30));

        // The partition: each member drops everything from the other, until each is alone in its
        // view; Kafka gives the partition to b.
        partition(memberA, memberB);
        await("a view of one on each side", () -> memberA.getMembers().size() == 1 && memberB.getMembers().size() == 1,
                Duration.ofSeconds(30));
        await("b active while a still believes it is", () -> b.role() == CompilerLoop.Role.ACTIVE, Duration.ofSeconds(60));
        assertEquals(CompilerLoop.Role.ACTIVE, a.role(), "a has not noticed");
        feed("np13-stacked-policies-are-additive");
        follower.follow(harness.drainRuleRecords(Duration.ofSeconds(3)));

        // a wakes up and commits its batch as the active replica: its side of the state accepts it.
        release.countDown();
        await("a's batch written to its side of the state", () -> checkpointOwner(memberA).startsWith("a@"),
                Duration.ofSeconds(30));
        String ownerOnA = (String) memberA.getCache(CacheManagers.STATE_CACHE).get("owner");
        String ownerOnB = (String) memberB.getCache(CacheManagers.STATE_CACHE).get("owner");
        assertTrue(ownerOnA.startsWith("a@") && ownerOnB.startsWith("b@"),
                "both sides of the partition name their own replica as the owner: " + ownerOnA + " / " + ownerOnB);
        Thread.sleep(8_000); // a is fenced, steps down, rejoins the group; a rebalance may hand it the partition again
        feed("np11-udp-only-blocks-tcp");
        follower.follow(harness.drainRuleRecords(Duration.ofSeconds(4)));

        assertEquals(0, follower.stale, "no generation was published twice (one lineage per node): " + follower.staleRecords);
        assertEquals(List.of(), follower.gaps, "no generation was skipped");
        assertEquals(List.of(), follower.emptySnapshots, "no node was handed an empty rule set as current");
        assertEqualsFullCompile(follower);
        List<StatusRecord> statuses = statuses();
        assertFalse(statuses.isEmpty(), "the rejected policy was reported");
        long limit = System.currentTimeMillis() + CENTURY.toMillis() / 2;
        assertEquals(List.of(), statuses.stream().filter(status -> status.observedAtMillis() > limit).toList(),
                "nothing the stalled replica produced became visible");
        assertNotEquals(CompilerLoop.Role.FAILED, a.role());
        assertNotEquals(CompilerLoop.Role.FAILED, b.role());
    }

    private static void partition(EmbeddedCacheManager one, EmbeddedCacheManager other) throws Exception {
        JChannel first = channel(one);
        JChannel second = channel(other);
        discardFrom(first, second);
        discardFrom(second, first);
    }

    private static void discardFrom(JChannel channel, JChannel other) throws Exception {
        DISCARD discard = new DISCARD();
        discard.setAddress(channel.getAddress());
        discard.addIgnoreMember(other.getAddress());
        channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TP.class);
    }

    private static JChannel channel(EmbeddedCacheManager member) {
        return ((JGroupsTransport) GlobalComponentRegistry.componentOf(member, Transport.class)).getChannel();
    }

    private static String checkpointOwner(EmbeddedCacheManager member) {
        Object bytes = member.getCache(CacheManagers.STATE_CACHE).get("checkpoint");
        return bytes == null ? "" : Checkpoint.fromBytes((byte[]) bytes).owner();
    }

    private static com.fasterxml.jackson.databind.JsonNode badPolicy() throws Exception {
        return new ObjectMapper().readTree("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",
                 "metadata":{"name":"typo","namespace":"split","resourceVersion":"1"},
                 "spec":{"podSelecter":{},"policyTypes":["Ingress"]}}""");
    }

    private List<StatusRecord> statuses() throws Exception {
        List<StatusRecord> statuses = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : harness.drainStatus(Duration.ofSeconds(1))) {
            if (record.value() != null) {
                statuses.add(WireJson.decodeStatus(record.value()));
            }
        }
        return statuses;
    }

    private EmbeddedCacheManager member(String cluster, String name) {
        EmbeddedCacheManager member = CacheManagers.start(cluster, name, "jgroups-loopback.xml");
        members.add(member);
        return member;
    }

    private CompilerLoop start(String name, EmbeddedCacheManager member, Clock clock) {
        CompilerSettings defaults = CompilerSettings.defaults(kafka.bootstrapServers(), name);
        // A replica that does not poll for 3 s leaves the group (the stall above takes longer).
        CompilerSettings settings = new CompilerSettings(defaults.bootstrapServers(), defaults.resourcesTopic(),
                defaults.rulesTopic(), defaults.statusTopic(), defaults.deadLetterTopic(), defaults.controlTopic(),
                defaults.groupId(), defaults.transactionalId(), name, defaults.maxBatch(), defaults.pollTimeout(),
                Map.of("max.poll.interval.ms", "3000"));
        CompilerLoop replica = new CompilerLoop(settings, member.getCache(CacheManagers.STATE_CACHE),
                new SimpleMeterRegistry(), clock);
        replicas.add(replica);
        Thread thread = new Thread(replica, "compiler-" + name);
        thread.setDaemon(true);
        thread.start();
        return replica;
    }

    private void feed(String... ownCases) throws Exception {
        for (NetpolCases.Case next : NetpolCases.ownThenUpstream(List.of(ownCases), List.of())) {
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

    private static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
