package dev.stockade.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.DestinationPort;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.NamespacedPod;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.ProtocolSpec;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.EventType;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.ResourceKind;
import dev.stockade.events.v1.ResourceKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy: read from manifests, watch events
 * and {@code stockade.resources} records (key {@code ClusterNetworkPolicy//<name>}) to the same core
 * record, strictly (unknown fields and wrong scalar types rejected with the object and field named).
 */
class ClusterNetworkPolicyReaderTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectRef REF = new ObjectRef(ResourceKind.CLUSTER_NETWORK_POLICY, "", "deny-monitoring");

    /** Every field of the standard channel, and the experimental peers. */
    private static final String YAML = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata:
              name: deny-monitoring
              resourceVersion: "7"
            spec:
              tier: Admin
              priority: 10
              subject:
                namespaces:
                  matchExpressions:
                  - {key: team, operator: NotIn, values: [ops]}
              ingress:
              - name: allow-prometheus
                action: Accept
                from:
                - pods:
                    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
                    podSelector: {matchLabels: {app: prometheus}}
                protocols:
                - destinationNamedPort: metrics
              - action: Pass
                from:
                - namespaces: {}
              egress:
              - name: deny-dns-elsewhere
                action: Deny
                to:
                - networks: [10.0.0.0/8, "fd00::/8"]
                - nodes: {}
                protocols:
                - udp: {destinationPort: {number: 53}}
                - tcp: {destinationPort: {range: {start: 1000, end: 2000}}}
                - sctp: {destinationPort: {number: 9003}}
            status:
              conditions:
              - {type: Ready, status: "True", reason: Programmed, message: ok, lastTransitionTime: "2026-07-01T00:00:00Z"}
            """;

    private static final ClusterNetworkPolicyInfo EXPECTED = new ClusterNetworkPolicyInfo("deny-monitoring", "Admin", 10,
            new Subject(new LabelSelectorSpec(null, List.of(new LabelSelectorSpec.Requirement("team", "NotIn",
                    List.of("ops")))), null),
            List.of(new IngressRule("allow-prometheus", "Accept", List.of(new IngressPeer(null, new NamespacedPod(
                            LabelSelectorSpec.ofLabels(Map.of("kubernetes.io/metadata.name", "monitoring")),
                            LabelSelectorSpec.ofLabels(Map.of("app", "prometheus"))))),
                            List.of(ProtocolSpec.namedPort("metrics"))),
                    new IngressRule(null, "Pass", List.of(new IngressPeer(LabelSelectorSpec.ALL, null)), null)),
            List.of(new EgressRule("deny-dns-elsewhere", "Deny", List.of(
                    new EgressPeer(null, null, List.of("10.0.0.0/8", "fd00::/8")),
                    new EgressPeer(null, null, null, LabelSelectorSpec.ALL, null)),
                    List.of(ProtocolSpec.udp(DestinationPort.number(53)),
                            ProtocolSpec.tcp(DestinationPort.range(1000, 2000)),
                            ProtocolSpec.sctp(DestinationPort.number(9003))))));

    @TempDir
    Path dir;

    private Converted fromManifest(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("cnp.yaml"), yaml);
        List<ManifestReader.Decoded> read = new ManifestReader().readFile(file);
        assertEquals(1, read.size());
        assertTrue(read.get(0).unreadable().isEmpty(), read.toString());
        return read.get(0).converted();
    }

    private static JsonNode tree(String yaml) throws IOException {
        return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml);
    }

    private static String record(JsonNode object) {
        return "{\"schemaVersion\":1,\"resourceVersion\":\"7\",\"observedAtMillis\":1,\"object\":" + object + "}";
    }

    @Test
    void aManifestReadsToTheCoreRecordFieldForField() throws IOException {
        Converted converted = fromManifest(YAML);
        assertEquals(List.of(), converted.rejections());
        assertEquals(EXPECTED, converted.resource().orElseThrow());
        assertEquals(REF, converted.resource().orElseThrow().ref());
    }

    @Test
    void theTrimmedRecordKeyedClusterNetworkPolicyNameDecodesToTheSameRecord() throws IOException {
        JsonNode trimmed = new KubeObjectTrimmer().trim(tree(YAML)).orElseThrow();
        assertTrue(trimmed.path("status").isMissingNode(), "status is not carried");
        assertEquals("ClusterNetworkPolicy//deny-monitoring", ResourceKey.of(REF).encode());
        ResourceRecordDecoder.Decoded decoded = new ResourceRecordDecoder().decode("ClusterNetworkPolicy//deny-monitoring",
                record(trimmed).getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), decoded.rejections());
        assertEquals(EXPECTED, decoded.event().orElseThrow().resource());
        assertEquals(EXPECTED, new ResourceRecordDecoder().resourceOf(record(trimmed).getBytes(StandardCharsets.UTF_8))
                .orElseThrow());
    }

    @Test
    void aTombstoneDeletesByName() {
        ResourceRecordDecoder.Decoded decoded = new ResourceRecordDecoder().decode("ClusterNetworkPolicy//deny-monitoring",
                null);
        assertEquals(EventType.DELETED, decoded.event().orElseThrow().type());
        assertEquals(REF, decoded.event().orElseThrow().resource().ref());
    }

    @Test
    void aWatchEventReadsTheSameAndANamespaceInMetadataIsIgnored() throws IOException {
        JsonNode object = tree(YAML.replace("  name: deny-monitoring", "  name: deny-monitoring\n  namespace: tenant-a"));
        WatchEventReader.DecodedEvent decoded = new WatchEventReader().decode(1,
                "{\"type\":\"ADDED\",\"object\":" + object + "}");
        assertEquals(EXPECTED, decoded.event().orElseThrow().resource());
    }

    @Test
    void aRecordUnderAnotherKeyIsNotTaken() throws IOException {
        JsonNode trimmed = new KubeObjectTrimmer().trim(tree(YAML)).orElseThrow();
        ResourceRecordDecoder.Decoded decoded = new ResourceRecordDecoder().decode("ClusterNetworkPolicy/default/deny-monitoring",
                record(trimmed).getBytes(StandardCharsets.UTF_8));
        assertTrue(decoded.deadLetterReason().isPresent(), decoded.toString());
    }

    @ParameterizedTest(name = "{0} is refused at {1}")
    @CsvSource(delimiter = '|', value = {
            "'  tier: Admin'                    | '  tier: Admin\n  tiers: Baseline'        | spec.tiers",
            "'    action: Accept'               | '    action: Accept\n    port: 80'         | spec.ingress[0].port",
            "'    - destinationNamedPort: metrics' | '    - destinationNamedPort: metrics\n      protocol: TCP' | spec.ingress[0].protocols[0].protocol",
            "'- udp: {destinationPort: {number: 53}}' | '- udp: {destinationPort: {number: 53, endPort: 60}}' | spec.egress[0].protocols[0].udp.destinationPort.endPort",
            "'  priority: 10'                   | '  priority: \"10\"'                       | spec.priority",
            "'  name: deny-monitoring'          | '  name: deny-monitoring\n  labelz: {}'   | metadata.labelz",
    })
    void anUnknownFieldOrAWrongScalarRejectsTheObjectNamingObjectAndField(String from, String to, String field)
            throws IOException {
        assertTrue(YAML.contains(from), from);
        Converted converted = fromManifest(YAML.replace(from, to));
        assertTrue(converted.resource().isEmpty(), converted.toString());
        assertEquals(1, converted.rejections().size(), converted.toString());
        Rejection rejection = converted.rejections().get(0);
        assertEquals(REF, rejection.object());
        assertEquals(field, rejection.field());
    }
}
