package dev.stockade.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.compiled.LocalPodPatch;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.MemberPatch;
import dev.stockade.core.compiled.NamedPort;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.compiled.PolicyPatch;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.PortMatch;
import dev.stockade.events.fuzz.BadInput;
import dev.stockade.events.fuzz.BadInputs;
import dev.stockade.events.fuzz.FuzzTally;
import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Bad frames from the dispatcher, fuzzed: snapshot and delta frames for the agent's node, mutated
 * as {@code BadInputs} does, go the way {@code AgentNode} takes a frame (decode, then apply to the
 * {@link DesiredState}). Each is applied, or refused with a reason (a {@link WireFormatException}
 * or a {@link DesiredState.Rejected}, which the agent NACKs); nothing else is thrown, which would
 * leave the frame unanswered and the agent stalled; a refused frame changes nothing, and the
 * valid delta applies after it exactly as without it.
 */
class FrameFuzzTest {

    private static final String NODE = "node-a2";
    private static final NodeRuleSet HELD = held();
    private static final NodeDelta NEXT = next();
    private static final byte[] DELTA_FRAME = WireJson.encode(AgentStreamMessage.delta(RuleDeltaCodec.toWire(NEXT, 42)));
    private static final byte[] SNAPSHOT_FRAME = WireJson.encode(AgentStreamMessage.snapshot(
            RuleDeltaCodec.toWire(HELD.apply(NEXT), 7)));

    private final FuzzTally tally = new FuzzTally("agent frame: WireJson.decodeAgentMessage + DesiredState");

    @AfterProperty
    void printTally() {
        tally.print();
    }

    @Provide
    Arbitrary<BadInput> frames() {
        return BadInputs.from(List.of(DELTA_FRAME, SNAPSHOT_FRAME));
    }

    @Property(tries = 10_000)
    void aFrameIsAppliedOrRefusedWithAReasonAndARefusedOneChangesNothing(@ForAll("frames") BadInput frame)
            throws Exception {
        DesiredState state = new DesiredState(HELD, 6);
        try {
            take(state, frame.bytes());
            tally.decoded();
            return;
        } catch (WireFormatException | DesiredState.Rejected e) {
            tally.rejected(frame, e.getMessage());
        }
        assertEquals(HELD, state.ruleSet(), "a refused frame changed the rules: " + frame);
        assertEquals(6, state.generation());
        take(state, DELTA_FRAME);
        assertEquals(HELD.apply(NEXT), state.ruleSet(), "the valid delta applies differently after " + frame);
    }

    /** What {@code AgentNode} does with a frame's text. */
    private static void take(DesiredState state, byte[] text) throws WireFormatException, DesiredState.Rejected {
        AgentStreamMessage message = WireJson.decodeAgentMessage(text);
        if (AgentStreamMessage.SNAPSHOT.equals(message.type()) && message.snapshot() != null) {
            state.applySnapshot(message.snapshot());
        } else if (AgentStreamMessage.DELTA.equals(message.type()) && message.delta() != null) {
            state.applyDelta(message.delta());
        }
    }

    private static NodeRuleSet held() {
        GroupMember web = new GroupMember("x/web-1", NODE, List.of("10.0.0.1"), List.of(new NamedPort("http", Protocol.TCP, 80)));
        GroupMember db = new GroupMember("x/db-1", "node-b", List.of("10.0.1.1", "fd00::1"), List.of());
        return new NodeRuleSet(NODE, new TreeMap<>(), new TreeMap<>(Map.of("atg", group("atg", web))),
                new TreeMap<>(Map.of("ag", group("ag", db))), new TreeMap<>(Map.of("x/web-1",
                new LocalPod("x/web-1", List.of("10.0.0.1")))));
    }

    /** Generation 7: a policy with every kind of peer and port, a member joins ag, a local pod joins. */
    private static NodeDelta next() {
        CompiledRule rule = new CompiledRule(Direction.INGRESS, 0, false, List.of("ag"),
                List.of(new IpBlock(Cidr.parse("10.0.0.0/8").orElseThrow(), List.of(Cidr.parse("10.9.0.0/16").orElseThrow()))),
                List.of(PortMatch.range(Protocol.TCP, 80, 90), PortMatch.named(Protocol.UDP, "dns"),
                        PortMatch.allOf(Protocol.SCTP)));
        CompiledPolicy policy = CompiledPolicy.of(new PolicyRef(PolicyKind.NetworkPolicy, "x", "web"), "atg",
                List.of(Direction.INGRESS), List.of(rule));
        GroupMember joined = new GroupMember("x/db-2", "node-b", List.of("10.0.1.2"),
                List.of(new NamedPort("dns", Protocol.UDP, 53)));
        return new NodeDelta(NODE, 7, new PolicyPatch(List.of(policy), List.of()), GroupPatch.EMPTY,
                new GroupPatch(List.of(), List.of(), List.of(new MemberPatch("ag", List.of(joined), List.of()))),
                new LocalPodPatch(List.of(new LocalPod("x/web-2", List.of("10.0.0.2"))), List.of()));
    }

    private static MemberGroup group(String id, GroupMember member) {
        return new MemberGroup(id, "selection of " + id, new TreeMap<>(Map.of(member.pod(), member)));
    }
}
