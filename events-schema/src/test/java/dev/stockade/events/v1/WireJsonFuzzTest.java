package dev.stockade.events.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.fuzz.BadInput;
import dev.stockade.events.fuzz.BadInputs;
import dev.stockade.events.fuzz.FuzzTally;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Bad input, fuzzed ({@link BadInputs}: mutated golden records, truncations, wrong JSON types at
 * every field, huge strings and numbers, deep nesting, unknown schema versions, invalid UTF-8):
 * every decoder of a v1 record either decodes an input or refuses it with a
 * {@link WireFormatException} that gives a reason, naming the field and the record's object (its
 * node, its Kubernetes object) where the input changed a known field; nothing else escapes, and a
 * valid record decodes the same before and after a bad one. Rule deltas and sets count as decoded
 * only when {@link RuleDeltaCodec#fromWire} also takes them, which is what their consumers do.
 */
class WireJsonFuzzTest {

    private static final int TRIES = 10_000;
    private static final String NODE = "node-a2";

    private FuzzTally tally;

    @AfterProperty
    void printTally() {
        if (tally != null) {
            tally.print();
        }
    }

    /** What a decoder does with one input: the value, or the WireFormatException's message. */
    private interface Decoder<T> {
        T decode(byte[] bytes) throws WireFormatException;
    }

    private <T> void fuzz(String decoder, Decoder<T> decode, byte[] valid, BadInput input, Optional<String> object)
            throws WireFormatException {
        if (tally == null) {
            tally = new FuzzTally(decoder);
        }
        T before = decode.decode(valid);
        try {
            decode.decode(input.bytes());
            tally.decoded();
        } catch (WireFormatException e) {
            tally.rejectedNaming(input, e.getMessage(), object);
        }
        assertEquals(before, decode.decode(valid), "a valid record decodes differently after " + input);
    }

    // --- stockade.resources

    @Provide
    Arbitrary<BadInput> resources() {
        return BadInputs.from(List.of(golden("resource-pod.json"), FuzzSeeds.resourceNamespace(),
                FuzzSeeds.resourcePolicy()));
    }

    @Property(tries = TRIES)
    void aResourceRecordIsDecodedOrRefusedWithAReason(@ForAll("resources") BadInput input) throws Exception {
        Optional<String> object = input.field().filter(field -> !field.startsWith("object")).map(field -> "tenant-a");
        fuzz("WireJson.decodeResource", WireJson::decodeResource, golden("resource-pod.json"), input, object);
    }

    // --- stockade.rules

    @Provide
    Arbitrary<BadInput> ruleDeltas() {
        return BadInputs.from(List.of(golden("rule-delta.json"), FuzzSeeds.ruleDeltaWithLocalPods()));
    }

    @Property(tries = TRIES)
    void aRuleDeltaIsDecodedOrRefusedNamingTheNodeAndField(@ForAll("ruleDeltas") BadInput input) throws Exception {
        Decoder<NodeDelta> decoder = bytes -> RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(bytes));
        fuzz("WireJson.decodeRuleDelta + RuleDeltaCodec.fromWire", decoder, golden("rule-delta.json"), input,
                identified(input));
    }

    @Provide
    Arbitrary<BadInput> ruleSets() {
        return BadInputs.from(List.of(FuzzSeeds.ruleSet(), FuzzSeeds.ruleSetWithLocalPods()));
    }

    @Property(tries = TRIES)
    void aRuleSetIsDecodedOrRefusedNamingTheNodeAndField(@ForAll("ruleSets") BadInput input) throws Exception {
        Decoder<NodeRuleSet> decoder = bytes -> RuleDeltaCodec.fromWire(WireJson.decodeRuleSet(bytes));
        fuzz("WireJson.decodeRuleSet + RuleDeltaCodec.fromWire", decoder, FuzzSeeds.ruleSet(), input,
                identified(input));
    }

    // --- the agent stream, both directions

    @Provide
    Arbitrary<BadInput> agentFrames() {
        return BadInputs.from(FuzzSeeds.agentFrames());
    }

    @Property(tries = TRIES)
    void anAgentStreamFrameIsDecodedOrRefusedNamingTheNodeAndField(@ForAll("agentFrames") BadInput input)
            throws Exception {
        fuzz("WireJson.decodeAgentMessage", WireJson::decodeAgentMessage, FuzzSeeds.agentFrames().get(0), input,
                identified(input));
    }

    // --- status, control, dead letters

    @Provide
    Arbitrary<BadInput> statuses() {
        return BadInputs.from(List.of(golden("status-rejected.json"),
                WireJson.encode(StatusRecord.notRealized(NODE, 7, "failed: nft", 1795785600000L))));
    }

    @Property(tries = TRIES)
    void aStatusRecordIsDecodedOrRefusedWithAReason(@ForAll("statuses") BadInput input) throws Exception {
        fuzz("WireJson.decodeStatus", WireJson::decodeStatus, golden("status-rejected.json"), input, Optional.empty());
    }

    @Provide
    Arbitrary<BadInput> controls() {
        return BadInputs.from(List.of(FuzzSeeds.control()));
    }

    @Property(tries = TRIES)
    void aControlRecordIsDecodedOrRefusedWithAReason(@ForAll("controls") BadInput input) throws Exception {
        fuzz("WireJson.decodeControl", WireJson::decodeControl, FuzzSeeds.control(), input, Optional.empty());
    }

    @Provide
    Arbitrary<BadInput> deadLetters() {
        return BadInputs.from(List.of(golden("deadletter.json")));
    }

    @Property(tries = TRIES)
    void aDeadLetterRecordIsDecodedOrRefusedWithAReason(@ForAll("deadLetters") BadInput input) throws Exception {
        fuzz("WireJson.decodeDeadLetter", WireJson::decodeDeadLetter, golden("deadletter.json"), input, Optional.empty());
    }

    /** The node the seeds are about, unless the input changed the node field itself. */
    private static Optional<String> identified(BadInput input) {
        return input.field().filter(field -> !field.equals("node")).map(field -> NODE);
    }

    static byte[] golden(String name) {
        try {
            return WireFormatTest.golden(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
