package dev.stockade.events.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * How a bad record is refused: with a {@link WireFormatException} naming the record's object and
 * the field, before any consumer converts it. The cases are counterexamples the fuzz properties of
 * {@code WireJsonFuzzTest} found.
 */
class WireJsonRejectionTest {

    private static String golden(String name) {
        try {
            return new String(WireFormatTest.golden(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String delta() {
        return golden("rule-delta.json");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String refusal(Decoder decoder, String text) {
        return assertThrows(WireFormatException.class, () -> decoder.decode(utf8(text))).getMessage();
    }

    private interface Decoder {
        Object decode(byte[] bytes) throws WireFormatException;
    }

    @Test
    void aListOfTheWrongTypeIsRefusedNamingTheNodeAndTheField() {
        String ports = delta().replaceFirst("\"ports\":\\[.*?]}]}]", "\"ports\":{\"x\":\"y\"}}]}]");
        String reason = refusal(WireJson::decodeRuleDelta, ports);
        assertTrue(reason.startsWith("rule delta of node node-a2 generation 7: policies.added[0].rules[0].ports: "), reason);
    }

    @Test
    void aListElementOfTheWrongTypeInARuleSetIsRefusedNamingTheNodeAndTheElement() {
        String ruleSet = "{\"schemaVersion\":1,\"node\":\"node-a2\",\"generation\":7,\"policies\":[],"
                + "\"appliedToGroups\":[{\"id\":\"atg-1\",\"selection\":\"s\",\"members\":[[]]}],\"addressGroups\":[]}";
        String reason = refusal(WireJson::decodeRuleSet, ruleSet);
        assertTrue(reason.startsWith("rule set of node node-a2 generation 7: appliedToGroups[0].members[0]: "), reason);
    }

    @Test
    void aDeltaFrameWithAPolicyThatIsANumberIsRefusedNamingTheFieldInsideTheFrame() {
        String frame = "{\"schemaVersion\":1,\"type\":\"delta\",\"node\":\"node-a2\",\"generation\":7,\"delta\":"
                + delta().replace("\"added\":[{\"id\":\"p-1\"", "\"added\":[1.5,{\"id\":\"p-1\"") + "}";
        String reason = refusal(WireJson::decodeAgentMessage, frame);
        assertTrue(reason.startsWith("agent stream delta frame of node node-a2 generation 7: delta.policies.added[0]: "), reason);
    }

    /** Was accepted, and the agent's snapshot path then failed on the missing node with a NullPointerException. */
    @Test
    void aSnapshotFrameMustCarryACompleteRuleSetOfItsVersion() {
        String frame = "{\"schemaVersion\":1,\"type\":\"snapshot\",\"node\":\"node-a2\",\"generation\":7,\"snapshot\":%s}";
        assertEquals("agent stream snapshot frame of node node-a2 generation 7: snapshot: missing",
                refusal(WireJson::decodeAgentMessage, frame.formatted("null")));
        assertEquals("agent stream snapshot frame of node node-a2 generation 7: snapshot.node: missing",
                refusal(WireJson::decodeAgentMessage, frame.formatted("{\"schemaVersion\":1,\"generation\":7,"
                        + "\"policies\":[],\"appliedToGroups\":[],\"addressGroups\":[]}")));
        assertEquals("agent stream snapshot frame of node node-a2 generation 7: snapshot.schemaVersion 2 is not supported (expected 1)",
                refusal(WireJson::decodeAgentMessage, frame.formatted("{\"schemaVersion\":2,\"node\":\"node-a2\"}")));
    }

    /** Was refused by RuleDeltaCodec.fromWire as "does not decode: null" (List.copyOf of a null list). */
    @Test
    void aMissingListIsRefusedWhenDecodingNamingIt() {
        String reason = refusal(WireJson::decodeRuleDelta, delta().replace(",\"removed\":[\"p-0\"]", ""));
        assertEquals("rule delta of node node-a2 generation 7: policies.removed: missing", reason);
    }

    @Test
    void aValueTheCoreCannotParseIsRefusedWhenDecodingNamingItsField() {
        assertEquals("rule delta of node node-a2 generation 7: policies.added[0].rules[0].ipBlocks[0].cidr: "
                        + "'10.0.0.0/33' is not a CIDR",
                refusal(WireJson::decodeRuleDelta, delta().replace("10.0.0.0/8", "10.0.0.0/33")));
        assertEquals("rule delta of node node-a2 generation 7: policies.added[0].rules[0].ports[0].protocol: "
                        + "'5' is not one of TCP, UDP, SCTP",
                refusal(WireJson::decodeRuleDelta, delta().replaceFirst("\"protocol\":\"TCP\"", "\"protocol\":5")));
        assertEquals("rule delta of node node-a2 generation 7: policies.added[0].isolates[0]: null is not a value here",
                refusal(WireJson::decodeRuleDelta, delta().replace("[\"INGRESS\"]", "[null]")));
    }

    /** 4294967297 read as an int is 1: the version check took it for version 1. */
    @Test
    void aSchemaVersionThatWrapsToOneIsStillAnotherVersion() {
        String reason = refusal(WireJson::decodeRuleDelta, delta().replace("\"schemaVersion\":1", "\"schemaVersion\":4294967297"));
        assertEquals("rule delta of node node-a2 generation 7: RuleDeltaRecord schemaVersion 4294967297 is not supported "
                + "(expected 1)", reason);
        assertTrue(refusal(WireJson::decodeRuleDelta, delta().replace("\"schemaVersion\":1", "\"schemaVersion\":\"one\""))
                .contains("schemaVersion '\"one\"' is not supported"));
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedWhileParsing() {
        String reason = refusal(WireJson::decodeRuleDelta, "[".repeat(10_000) + "]".repeat(10_000));
        assertTrue(reason.startsWith("not JSON: ") && reason.contains("maximum allowed (" + WireJson.MAX_NESTING_DEPTH), reason);
    }

    @Test
    void aStringLongerThanTheLimitIsRefusedWhileParsing() {
        String reason = refusal(WireJson::decodeResource, golden("resource-pod.json").replace("\"12345\"", "\"" + "x".repeat(WireJson.MAX_STRING_LENGTH + 1) + "\""));
        assertTrue(reason.startsWith("not JSON: ") && reason.contains("String value length"), reason);
    }

    @Test
    void aResourceRecordWithoutAnObjectNamesTheField() {
        assertEquals("resource record: object: must be an object",
                refusal(WireJson::decodeResource, "{\"schemaVersion\":1,\"object\":[]}"));
    }

    private static void assertRefusedWith(String text, String problem) {
        String reason = refusal(WireJson::decodeRuleDelta, text);
        assertTrue(reason.endsWith(": " + problem), reason);
    }

    private static String clusterDelta() {
        return golden("rule-delta-cluster-policy.json");
    }

    @Test
    void anUnknownTierIsRefusedNamingTheField() {
        String reason = refusal(WireJson::decodeRuleDelta, clusterDelta().replaceFirst("\"tier\":\"ADMIN\"",
                "\"tier\":\"MIDDLE\""));
        assertEquals("rule delta of node node-m1 generation 3: policies.added[0].tier: 'MIDDLE' is not one of ADMIN,"
                + " BASELINE", reason);
    }

    @Test
    void anUnknownActionIsRefusedNamingTheField() {
        String reason = refusal(WireJson::decodeRuleDelta, clusterDelta().replaceFirst("\"action\":\"ACCEPT\"",
                "\"action\":\"Allow\""));
        assertEquals("rule delta of node node-m1 generation 3: policies.added[0].rules[0].action: 'Allow' is not one"
                + " of ACCEPT, DENY, PASS", reason);
    }

    @Test
    void aTierThatDoesNotFitTheKindIsRefusedNamingTheField() {
        String wrongTier = clusterDelta().replaceFirst("\"tier\":\"ADMIN\"", "\"tier\":\"BASELINE\"");
        assertRefusedWith(wrongTier,
                "policies.added[0].tier: 'BASELINE' is not the tier of kind AdminClusterNetworkPolicy");
        String noPriority = clusterDelta().replaceFirst(",\"priority\":10", "");
        assertRefusedWith(noPriority, "policies.added[0].priority: missing (kind"
                + " AdminClusterNetworkPolicy is a ClusterNetworkPolicy)");
        String noAction = clusterDelta().replaceFirst(",\"action\":\"DENY\"", "");
        assertRefusedWith(noAction, "policies.added[0].rules[1].action: missing"
                + " (every rule of a ClusterNetworkPolicy has an action)");
        String tieredNetworkPolicy = delta().replaceFirst("\"rules\":\\[", "\"tier\":\"ADMIN\",\"rules\":[");
        assertRefusedWith(tieredNetworkPolicy,
                "policies.added[0].tier: kind LegacyNetworkPolicy has no tier and no priority");
        String actionInNetworkPolicy = delta().replaceFirst("\"anyPeer\":false", "\"anyPeer\":false,\"action\":\"DENY\"");
        assertRefusedWith(actionInNetworkPolicy,
                "policies.added[0].rules[0].action: a rule of kind LegacyNetworkPolicy has no action");
    }
}
