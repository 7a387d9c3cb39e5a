package dev.stockade.events.v1;

import static dev.stockade.events.v1.WireJsonFuzzTest.golden;
import static dev.stockade.events.v1.WireJsonFuzzTest.utf8;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Valid records the fuzz properties mutate: the golden fixtures, and what they do not cover built
 * from them (a rule set, agent stream frames, local pods, resource records of other kinds). All
 * are about node {@code node-a2}.
 */
final class FuzzSeeds {

    private FuzzSeeds() {
    }

    static byte[] resourceNamespace() {
        return utf8("""
                {"schemaVersion":1,"resourceVersion":"7","observedAtMillis":1795785600000,"object":{"apiVersion":"v1",\
                "kind":"Namespace","metadata":{"name":"tenant-a","labels":{"kubernetes.io/metadata.name":"tenant-a"},\
                "annotations":{"net.alpha.kubernetes.io/network-isolation":"on"}}}}""");
    }

    static byte[] resourcePolicy() {
        return utf8("""
                {"schemaVersion":1,"resourceVersion":"9","observedAtMillis":1795785600000,"object":{"apiVersion":\
                "networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web","namespace":"tenant-a"},"spec":{\
                "podSelector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In",\
                "values":["a","b"]}]},"policyTypes":["Ingress","Egress"],"ingress":[{"from":[{"namespaceSelector":{},\
                "podSelector":{"matchLabels":{"app":"db"}}},{"ipBlock":{"cidr":"10.0.0.0/8","except":["10.1.0.0/16"]}}],\
                "ports":[{"protocol":"TCP","port":80,"endPort":90},{"port":"http"}]}],"egress":[{"to":[],"ports":[]}]}}}""");
    }

    static byte[] ruleDeltaWithLocalPods() {
        return withField(golden("rule-delta.json"), "\"localPods\":{\"added\":[{\"pod\":\"tenant-a/web-3\",\"ips\":"
                + "[\"10.244.2.33\",\"fd00::33\"]}],\"removed\":[\"tenant-a/old-7\"]}");
    }

    /** The golden delta's additions as node-a2's whole rule set at generation 7. */
    static byte[] ruleSet() {
        try {
            RuleDeltaRecord delta = WireJson.decodeRuleDelta(golden("rule-delta.json"));
            RuleDeltaRecord.MemberPatch patch = delta.addressGroups().patched().get(0);
            return WireJson.encode(new RuleSetRecord(RuleSetRecord.VERSION, delta.node(), 7, delta.policies().added(),
                    delta.appliedToGroups().added(), List.of(new RuleDeltaRecord.Group(patch.group(),
                    "ns=tenant-a;pods=segment=frontend", patch.added()))));
        } catch (WireFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] ruleSetWithLocalPods() {
        return withField(ruleSet(), "\"localPods\":[{\"pod\":\"tenant-a/backend-1\",\"ips\":[\"10.244.2.20\"]}]");
    }

    /** One frame of each type; the first is a hello. */
    static List<byte[]> agentFrames() {
        String snapshot = new String(ruleSet(), StandardCharsets.UTF_8);
        String delta = new String(golden("rule-delta.json"), StandardCharsets.UTF_8);
        return List.of(WireJson.encode(AgentStreamMessage.hello("node-a2", 6)),
                WireJson.encode(AgentStreamMessage.ack("node-a2", 7)),
                WireJson.encode(AgentStreamMessage.nack("node-a2", 8, "decode: something")),
                utf8("{\"schemaVersion\":1,\"type\":\"snapshot\",\"node\":\"node-a2\",\"generation\":7,\"snapshot\":"
                        + snapshot + "}"),
                utf8("{\"schemaVersion\":1,\"type\":\"delta\",\"node\":\"node-a2\",\"generation\":7,\"delta\":" + delta + "}"));
    }

    static byte[] control() {
        return WireJson.encode(ControlRecord.resync(List.of("node-a1", "node-a2"), "dispatcher-default-0"));
    }

    /** The record with one more top-level field, as text: no wire type needs to know it. */
    private static byte[] withField(byte[] record, String field) {
        String text = new String(record, StandardCharsets.UTF_8);
        return utf8(text.substring(0, text.lastIndexOf('}')) + "," + field + "}");
    }
}
