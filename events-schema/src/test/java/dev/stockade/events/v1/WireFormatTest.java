package dev.stockade.events.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.ResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden fixtures in {@code src/test/resources/golden/v1} are records as version 1 wrote them.
 * They must keep decoding, to the same values, for as long as version 1 is read.
 */
class WireFormatTest {

    static byte[] golden(String name) throws IOException {
        try (InputStream in = WireFormatTest.class.getResourceAsStream("/golden/v1/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aGoldenRuleDeltaDecodesToTheDeltaItWasWrittenFrom() throws Exception {
        RuleDeltaRecord record = WireJson.decodeRuleDelta(golden("rule-delta.json"));
        assertEquals(SampleDeltas.everyField(), RuleDeltaCodec.fromWire(record));
        assertEquals(42, record.sourceOffset());
    }

    @Test
    void encodingIsDeterministicAndMatchesTheGoldenBytes() throws Exception {
        byte[] encoded = WireJson.encode(RuleDeltaCodec.toWire(SampleDeltas.everyField(), 42));
        assertArrayEquals(golden("rule-delta.json"), encoded, new String(encoded, StandardCharsets.UTF_8));
    }

    @Test
    void aRuleDeltaWrittenBeforeLocalPodsExistedDecodesAsNoLocalPodChange() throws Exception {
        RuleDeltaRecord record = WireJson.decodeRuleDelta(golden("rule-delta.json"));
        assertNull(record.localPods());
        assertTrue(RuleDeltaCodec.fromWire(record).localPods().isEmpty());
        assertFalse(new String(golden("rule-delta.json"), StandardCharsets.UTF_8).contains("localPods"),
                "a delta without local-pod changes is still written without the field");
    }

    @Test
    void aGoldenRuleDeltaWithClusterNetworkPoliciesDecodesToTheDeltaItWasWrittenFromAndEncodesToItsBytes()
            throws Exception {
        RuleDeltaRecord record = WireJson.decodeRuleDelta(golden("rule-delta-cluster-policy.json"));
        assertEquals(SampleDeltas.withClusterPolicies(), RuleDeltaCodec.fromWire(record));
        byte[] encoded = WireJson.encode(RuleDeltaCodec.toWire(SampleDeltas.withClusterPolicies(), 42));
        assertArrayEquals(golden("rule-delta-cluster-policy.json"), encoded, new String(encoded, StandardCharsets.UTF_8));
        String text = new String(encoded, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"tier\":\"BASELINE\",\"priority\":0"), "priority 0 of a ClusterNetworkPolicy is written");
    }

    @Test
    void networkPolicyRecordsCarryNoTierPriorityOrAction() throws Exception {
        String text = new String(golden("rule-delta.json"), StandardCharsets.UTF_8);
        assertFalse(text.contains("\"tier\"") || text.contains("\"priority\"") || text.contains("\"action\""), text);
        assertEquals(SampleDeltas.everyField(), RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(golden("rule-delta.json"))));
    }

    @Test
    void aGoldenRuleDeltaWithLocalPodsDecodesToTheDeltaItWasWrittenFromAndEncodesToItsBytes() throws Exception {
        RuleDeltaRecord record = WireJson.decodeRuleDelta(golden("rule-delta-local-pods.json"));
        assertEquals(SampleDeltas.withLocalPods(), RuleDeltaCodec.fromWire(record));
        byte[] encoded = WireJson.encode(RuleDeltaCodec.toWire(SampleDeltas.withLocalPods(), 42));
        assertArrayEquals(golden("rule-delta-local-pods.json"), encoded, new String(encoded, StandardCharsets.UTF_8));
    }

    @Test
    void aGoldenRuleSetWithLocalPodsDecodesToTheRuleSetItWasWrittenFromAndEncodesToItsBytes() throws Exception {
        RuleSetRecord record = WireJson.decodeRuleSet(golden("rule-set-local-pods.json"));
        assertEquals(SampleDeltas.ruleSetWithLocalPods(), RuleDeltaCodec.fromWire(record));
        assertEquals(7, record.generation());
        byte[] encoded = WireJson.encode(RuleDeltaCodec.toWire(SampleDeltas.ruleSetWithLocalPods(), 7));
        assertArrayEquals(golden("rule-set-local-pods.json"), encoded, new String(encoded, StandardCharsets.UTF_8));
    }

    /** Absent = unknown: a snapshot from before local pods lists none, so a fail-closed agent opens no pod by it. */
    @Test
    void aRuleSetWrittenBeforeLocalPodsExistedDecodesWithNoLocalPods() throws Exception {
        RuleSetRecord record = WireJson.decodeRuleSet(golden("rule-set.json"));
        assertNull(record.localPods());
        dev.stockade.core.compiled.NodeRuleSet decoded = RuleDeltaCodec.fromWire(record);
        assertTrue(decoded.localPods().isEmpty());
        assertEquals(SampleDeltas.ruleSetWithLocalPods().policies(), decoded.policies());
        assertArrayEquals(golden("rule-set.json"), WireJson.encode(RuleDeltaCodec.toWire(decoded, 7)));
    }

    @Test
    void aLocalPodWithoutANameIsAWireFormatError() throws Exception {
        String broken = new String(golden("rule-delta-local-pods.json"), StandardCharsets.UTF_8)
                .replace("\"pod\":\"tenant-a/web-3\",", "");
        assertThrows(WireFormatException.class,
                () -> RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(broken.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aGoldenResourceRecordDecodes() throws Exception {
        ResourceRecord record = WireJson.decodeResource(golden("resource-pod.json"));
        assertEquals("12345", record.resourceVersion());
        assertEquals("Pod", record.object().path("kind").asText());
        assertEquals("10.244.1.10", record.object().path("status").path("podIP").asText());
    }

    @Test
    void goldenStatusAndDeadLetterRecordsDecode() throws Exception {
        StatusRecord status = WireJson.decodeStatus(golden("status-rejected.json"));
        assertEquals(StatusRecord.REJECTED, status.type());
        assertEquals("spec.ingress[0].from[0].ipBlock.cidr", status.field());
        DeadLetterRecord dead = WireJson.decodeDeadLetter(golden("deadletter.json"));
        assertEquals("stockade.resources", dead.topic());
        assertEquals(17, dead.offset());
    }

    @Test
    void anUnknownFieldIsIgnoredSoAdditionsStayCompatible() throws Exception {
        String withExtra = new String(golden("status-rejected.json"), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"addedLater\":true,");
        assertEquals(StatusRecord.REJECTED, WireJson.decodeStatus(withExtra.getBytes(StandardCharsets.UTF_8)).type());
    }

    @Test
    void anotherSchemaVersionIsRefusedWithAReason() throws Exception {
        String v2 = new String(golden("rule-delta.json"), StandardCharsets.UTF_8).replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        WireFormatException refused = assertThrows(WireFormatException.class,
                () -> WireJson.decodeRuleDelta(v2.getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused.getMessage().contains("schemaVersion 2"), refused.getMessage());
    }

    @Test
    void garbageIsAWireFormatErrorNotACrash() {
        assertThrows(WireFormatException.class, () -> WireJson.decodeResource("not json".getBytes(StandardCharsets.UTF_8)));
        assertThrows(WireFormatException.class, () -> WireJson.decodeResource("[1,2]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(WireFormatException.class, () -> WireJson.decodeRuleDelta(null));
        assertThrows(WireFormatException.class, () -> RuleDeltaCodec.fromWire(new RuleDeltaRecord(1, "n", 1, 0,
                new RuleDeltaRecord.PolicyPatch(java.util.List.of(), java.util.List.of()),
                new RuleDeltaRecord.GroupPatch(java.util.List.of(new RuleDeltaRecord.Group("g", "s", java.util.List.of(
                        new RuleDeltaRecord.Member("a/b", null, java.util.List.of(), java.util.List.of(
                                new RuleDeltaRecord.NamedPort("x", "ICMP", 1)))))), java.util.List.of(), java.util.List.of()),
                new RuleDeltaRecord.GroupPatch(java.util.List.of(), java.util.List.of(), java.util.List.of()))));
    }

    @Test
    void aRuleSetSnapshotRoundTripsThroughAnAgentStreamFrame() throws Exception {
        dev.stockade.core.compiled.NodeDelta sample = SampleDeltas.everyField();
        dev.stockade.core.compiled.NodeRuleSet ruleSet = dev.stockade.core.compiled.NodeRuleSet.empty("node-a2")
                .apply(new dev.stockade.core.compiled.NodeDelta("node-a2", 1, sample.policies(), sample.appliedToGroups(),
                        dev.stockade.core.compiled.GroupPatch.EMPTY));
        byte[] frame = WireJson.encode(AgentStreamMessage.snapshot(RuleDeltaCodec.toWire(ruleSet, 7)));
        AgentStreamMessage decoded = WireJson.decodeAgentMessage(frame);
        assertEquals(AgentStreamMessage.SNAPSHOT, decoded.type());
        assertEquals(7L, decoded.generation());
        assertEquals(ruleSet, RuleDeltaCodec.fromWire(decoded.snapshot()));
    }

    @Test
    void aStatusRecordWrittenBeforeNodeAndGenerationExistedStillDecodes() throws Exception {
        StatusRecord old = WireJson.decodeStatus(golden("status-rejected.json"));
        assertEquals(null, old.node());
        assertEquals(null, old.generation());
        StatusRecord realized = WireJson.decodeStatus(WireJson.encode(StatusRecord.realized("node-1", 12, 0)));
        assertEquals(12L, realized.generation());
    }

    @Test
    void resourceKeysRoundTrip() {
        ResourceKey pod = ResourceKey.of(new ObjectRef(ResourceKind.POD, "tenant-a", "backend-1"));
        assertEquals("Pod/tenant-a/backend-1", pod.encode());
        assertEquals(Optional.of(pod), ResourceKey.decode("Pod/tenant-a/backend-1"));
        assertEquals("Namespace//tenant-a", ResourceKey.of(new ObjectRef(ResourceKind.NAMESPACE, "", "tenant-a")).encode());
        assertEquals(Optional.empty(), ResourceKey.decode("Deployment/x/y"));
        assertEquals(Optional.empty(), ResourceKey.decode("Pod/x"));
    }
}
