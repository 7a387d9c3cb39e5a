package dev.stockade.dispatcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.MemberPatch;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.compiled.PolicyPatch;
import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.infinispan.manager.DefaultCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node's shared state: breadcrumbs, resumes, compaction into the base, snapshots, gaps; the delta frame. */
class PoolStateTest {

    private final DefaultCacheManager manager = localManager();
    private final PoolState state = new PoolState(manager, 4);

    private static DefaultCacheManager localManager() {
        DefaultCacheManager manager = new DefaultCacheManager();
        var local = new org.infinispan.configuration.cache.ConfigurationBuilder().build();
        manager.defineConfiguration(PoolState.HEADS, local);
        manager.defineConfiguration(PoolState.DATA, local);
        return manager;
    }

    private PoolState.Applied applyDelta(String node, long g, long timestamp, byte[] delta) throws Exception {
        return outcome(node, g, timestamp, delta).applied();
    }

    private PoolState.Outcome outcome(String node, long g, long timestamp, byte[] delta) throws Exception {
        Batch batch = state.batch();
        PoolState.Outcome outcome = batch.applyDelta(node, g, timestamp, delta);
        batch.commit();
        return outcome;
    }

    private boolean applySnapshot(dev.stockade.events.v1.RuleSetRecord snapshot, byte[] json) {
        Batch batch = state.batch();
        boolean applied = batch.applySnapshot(snapshot, json);
        batch.commit();
        return applied;
    }

    @AfterEach
    void stop() {
        manager.stop();
    }

    /** Generation g adds pod p-g to address group "g1" (created by generation 1). */
    private static NodeDelta delta(long g) {
        GroupMember member = new GroupMember("x/p-" + g, "n1", List.of("10.0.0." + g), List.of());
        GroupPatch groups = g == 1
                ? new GroupPatch(List.of(new MemberGroup("g1", "sel", new TreeMap<>(Map.of(member.pod(), member)))),
                        List.of(), List.of())
                : new GroupPatch(List.of(), List.of(), List.of(new MemberPatch("g1", List.of(member), List.of())));
        return new NodeDelta("n1", g, new PolicyPatch(List.of(), List.of()), new GroupPatch(List.of(), List.of(), List.of()),
                groups);
    }

    private static byte[] json(long g) {
        return WireJson.encode(RuleDeltaCodec.toWire(delta(g), g));
    }

    private static NodeRuleSet fold(long upTo) {
        NodeRuleSet ruleSet = NodeRuleSet.empty("n1");
        for (long g = 1; g <= upTo; g++) {
            ruleSet = ruleSet.apply(delta(g));
        }
        return ruleSet;
    }

    private void apply(long from, long to) throws Exception {
        for (long g = from; g <= to; g++) {
            assertEquals(PoolState.Applied.APPLIED, applyDelta("n1", g, 1000 + g, json(g)));
        }
    }

    @Test
    void deltasAreKeptAsCrumbsAndTheRuleSetIsTheirFold() throws Exception {
        apply(1, 5);
        NodeHead head = state.head("n1").orElseThrow();
        assertEquals(5, head.generation());
        assertEquals(fold(5), state.ruleSet("n1").orElseThrow().ruleSet());
        assertTrue(head.canResumeFrom(0), "every delta since the empty rule set is kept");
        assertTrue(head.canResumeFrom(5), "an agent that is up to date needs nothing");
        assertFalse(head.canResumeFrom(6), "an agent ahead of the pool cannot resume");
        assertArrayEquals(json(3), state.crumb("n1", 3).orElseThrow().delta(), "a crumb is the delta as published");
        assertEquals(1003, state.crumb("n1", 3).orElseThrow().timestampMillis());
    }

    @Test
    void beyondTwiceTheRingTheOldestCrumbsFoldIntoTheBase() throws Exception {
        apply(1, 20);
        NodeHead head = state.head("n1").orElseThrow();
        assertTrue(head.crumbCount() >= 4 && head.crumbCount() <= 8, "between ring and twice the ring kept: " + head);
        assertEquals(fold(20), state.ruleSet("n1").orElseThrow().ruleSet(), "base plus crumbs is still the fold");
        assertTrue(head.canResumeFrom(16), "the last ring of generations resumes");
        assertFalse(head.canResumeFrom(1), "generation 1 left the ring");
        assertTrue(state.crumb("n1", 1).isEmpty(), "folded crumbs are removed");
    }

    @Test
    void aDeltaThatDoesNotFollowIsAGapAndOneAlreadyHeldIsStale() throws Exception {
        assertEquals(PoolState.Applied.GAP, applyDelta("n1", 2, 0, json(2)), "no base for generation 2");
        apply(1, 2);
        assertEquals(PoolState.Applied.STALE, applyDelta("n1", 2, 0, json(2)));
        assertEquals(PoolState.Applied.GAP, applyDelta("n1", 4, 0, json(4)));
    }

    @Test
    void aSnapshotNotOlderThanTheNodeBecomesItsBase() throws Exception {
        apply(1, 2);
        assertFalse(applySnapshot(RuleDeltaCodec.toWire(fold(1), 1), WireJson.encode(RuleDeltaCodec.toWire(fold(1), 1))));
        assertTrue(applySnapshot(RuleDeltaCodec.toWire(fold(2), 2), WireJson.encode(RuleDeltaCodec.toWire(fold(2), 2))));
        assertTrue(state.head("n1").orElseThrow().canResumeFrom(0), "at the same generation the crumbs stay for resumes");
        assertTrue(applySnapshot(RuleDeltaCodec.toWire(fold(7), 7), WireJson.encode(RuleDeltaCodec.toWire(fold(7), 7))));
        assertEquals(new PoolState.RuleSetAt(fold(7), 7), state.ruleSet("n1").orElseThrow());
        assertFalse(state.head("n1").orElseThrow().canResumeFrom(2), "older crumbs do not lead to generation 7");
        apply(8, 8);
        assertEquals(fold(8), state.ruleSet("n1").orElseThrow().ruleSet());
    }

    @Test
    void aBatchSeesItsOwnWritesBeforeItCommits() throws Exception {
        Batch batch = state.batch();
        for (long g = 1; g <= 12; g++) {
            assertEquals(PoolState.Applied.APPLIED, batch.applyDelta("n1", g, 0, json(g)).applied());
        }
        assertTrue(state.head("n1").isEmpty(), "nothing visible before the commit");
        batch.commit();
        assertEquals(fold(12), state.ruleSet("n1").orElseThrow().ruleSet());
        assertEquals(12, state.generation("n1"));
    }

    private static byte[] replaced(byte[] json, String from, String to) {
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains(from), text);
        return text.replace(from, to).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A delta whose header follows but whose body does not apply (a member patch of a group the node does not have)
     * used to be filed by its header alone: the node's state then did not decode, and its agents went round between
     * the poison delta, a NACK and a snapshot that could not be built. Now it is rejected with the reason and not
     * stored: the node keeps its rules, and the next good delta of that generation (or a snapshot) applies.
     */
    @Test
    void aDeltaThatDoesNotApplyIsRejectedAndTheNodeKeepsItsRules() throws Exception {
        apply(1, 1);
        PoolState.Outcome outcome = outcome("n1", 2, 0, replaced(json(2), "\"group\":\"g1\"", "\"group\":\"nope\""));
        assertEquals(PoolState.Applied.REJECTED, outcome.applied());
        assertEquals("does not apply to the node's rule set at generation 1: member patch for group nope the node does"
                + " not have", outcome.reason());
        assertEquals(new PoolState.RuleSetAt(fold(1), 1), state.ruleSet("n1").orElseThrow(), "the last good rules");
        assertTrue(state.crumb("n1", 2).isEmpty(), "nothing of it stored");
        apply(2, 3);
        assertEquals(fold(3), state.ruleSet("n1").orElseThrow().ruleSet());
    }

    @Test
    void aDeltaWhoseBodyDoesNotDecodeIsRejected() throws Exception {
        apply(1, 2);
        PoolState.Outcome outcome = outcome("n1", 3, 0, ("{\"schemaVersion\":1,\"node\":\"n1\",\"generation\":3,"
                + "\"sourceOffset\":3,\"policies\":\"not a patch\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(PoolState.Applied.REJECTED, outcome.applied());
        assertTrue(outcome.reason().startsWith("does not decode: "), outcome.reason());
        assertEquals(new PoolState.RuleSetAt(fold(2), 2), state.ruleSet("n1").orElseThrow());
    }

    @Test
    void aDeltaFromAnotherReplicaOrAStartWithFullCachesIsCheckedAgainstTheStoredRuleSet() throws Exception {
        apply(1, 3);
        PoolState fresh = new PoolState(manager, 4);
        Batch batch = fresh.batch();
        assertEquals(PoolState.Applied.REJECTED, batch.applyDelta("n1", 4, 0, replaced(json(4), "\"group\":\"g1\"",
                "\"group\":\"nope\"")).applied(), "checked against base and crumbs read back");
        assertEquals(PoolState.Applied.APPLIED, batch.applyDelta("n1", 4, 0, json(4)).applied());
        batch.commit();
        assertEquals(fold(4), fresh.ruleSet("n1").orElseThrow().ruleSet());
    }

    /**
     * A crumb stored before deltas were checked (an older replica) that does not apply is the node's state not
     * decoding, never an exception through a pump; and the node's next delta is rejected, so the node is resynced.
     */
    @Test
    void aStoredCrumbThatDoesNotApplyIsStateThatDoesNotDecodeAndTheNextDeltaIsRejected() throws Exception {
        apply(1, 1);
        byte[] unknownGroup = replaced(json(2), "\"group\":\"g1\"", "\"group\":\"nope\"");
        state.dataCache().put(PoolState.crumbKey("n1", 2), java.nio.ByteBuffer.allocate(16 + unknownGroup.length)
                .putLong(0).putLong(0).put(unknownGroup).array());
        state.headCache().put("n1", new NodeHead(2, 0, 1).encode());
        WireFormatException refused = assertThrows(WireFormatException.class, () -> state.ruleSet("n1"));
        assertEquals("generation 2 of node n1 does not apply: member patch for group nope the node does not have",
                refused.getMessage());
        PoolState.Outcome next = outcome("n1", 3, 0, json(3));
        assertEquals(PoolState.Applied.REJECTED, next.applied());
        assertTrue(next.reason().startsWith("the node's rule set at generation 2 does not decode"), next.reason());
        assertTrue(applySnapshot(RuleDeltaCodec.toWire(fold(3), 3), WireJson.encode(RuleDeltaCodec.toWire(fold(3), 3))));
        apply(4, 4);
        assertEquals(fold(4), state.ruleSet("n1").orElseThrow().ruleSet(), "the snapshot cures it");
    }

    /** Read as text, an object gave node "{" and its fields passed for the record's: another node's generation 5. */
    @Test
    void aDeltaHeaderWhoseNodeIsNotAStringIsRefused() {
        for (String node : List.of("{\"schemaVersion\":1,\"node\":\"n2\",\"generation\":5,\"sourceOffset\":5}", "null")) {
            WireFormatException refused = assertThrows(WireFormatException.class, () -> DeltaHeader.read(
                    ("{\"schemaVersion\":1,\"node\":" + node + ",\"generation\":3,\"sourceOffset\":3}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertTrue(refused.getMessage().startsWith("rule delta's node is not a string"), refused.getMessage());
        }
    }

    @Test
    void aDeltaFrameIsExactlyWhatTheWireEncodingOfTheMessageWouldBe() throws Exception {
        var record = RuleDeltaCodec.toWire(delta(3), 3);
        assertEquals(new String(WireJson.encode(AgentStreamMessage.delta(record))), Frames.delta("n1", 3, new String(WireJson.encode(record))));
        DeltaHeader header = DeltaHeader.read(WireJson.encode(record));
        assertEquals(new DeltaHeader("n1", 3, 3), header);
    }
}
