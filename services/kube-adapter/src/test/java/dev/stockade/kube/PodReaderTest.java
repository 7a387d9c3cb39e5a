package dev.stockade.kube;

import static dev.stockade.core.model.Protocol.TCP;
import static dev.stockade.core.model.Protocol.UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Rejection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Pods read by {@link PodReader} (through the converter) convert as they did through fabric8's model. */
class PodReaderTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** A pod (its YAML after apiVersion and kind) and what one part of its record must be. */
    record Accepted(String rule, String pod, Function<PodInfo, Object> part, Object expected) {
    }

    /**
     * A pod with one malformed field, the object and field the rejection must name, and whether
     * the fabric8 path threw NullPointerException on it instead of rejecting it.
     */
    record Rejected(String problem, String pod, String object, String field, boolean crashedBefore) {
    }

    static final List<Accepted> ACCEPTED = List.of(
            new Accepted("a number as a label value is its text",
                    "metadata: {name: p, labels: {app: 1, tier: 2.5}}", PodInfo::labels, Map.of("app", "1", "tier", "2.5")),
            new Accepted("a boolean as a label value is its text",
                    "metadata: {name: p, labels: {app: true}}", PodInfo::labels, Map.of("app", "true")),
            new Accepted("a double is written as Jackson writes it",
                    "metadata: {name: p, labels: {app: 1e3}}", PodInfo::labels, Map.of("app", "1000.0")),
            new Accepted("a null label value stays, null-valued",
                    "metadata: {name: p, labels: {app: null}}", PodInfo::labels, Collections.singletonMap("app", null)),
            new Accepted("scalars are text in name, namespace and nodeName too",
                    "metadata: {name: 5, namespace: 6}\nspec: {nodeName: true}",
                    pod -> List.of(pod.name(), pod.namespace(), pod.nodeName()), List.of("5", "6", "true")),
            new Accepted("no namespace is the default namespace",
                    "metadata: {name: p, namespace: null}", PodInfo::namespace, "default"),
            new Accepted("a containerPort in numeric text is read, trimmed",
                    ports("{containerPort: \"80\"}, {containerPort: \" 81 \"}, {containerPort: \"-82\"}"),
                    PodInfo::ports, List.of(tcp(80), tcp(81), tcp(-82))),
            new Accepted("a fractional containerPort is truncated",
                    ports("{containerPort: 80.9}, {containerPort: 8.1e1}"), PodInfo::ports, List.of(tcp(80), tcp(81))),
            new Accepted("a containerPort of null, empty, blank or \"null\" text is absent, which leaves the port out",
                    ports("{name: a, containerPort: null}, {containerPort: \"\"}, {containerPort: \" \"}, "
                            + "{containerPort: \"null\"}, {name: b}"), PodInfo::ports, List.of()),
            new Accepted("no protocol is TCP, an unknown protocol leaves the port out",
                    ports("{name: a, containerPort: 80}, {containerPort: 81, protocol: udp}, "
                            + "{containerPort: 82, protocol: ICMP}, {containerPort: 83, protocol: null}, "
                            + "{containerPort: 84, protocol: UDP}"),
                    PodInfo::ports, List.of(new ContainerPort("a", 80, TCP), tcp(83), new ContainerPort(null, 84, UDP))),
            new Accepted("a number as a port name is its text",
                    ports("{name: 8080, containerPort: 80}"), PodInfo::ports, List.of(new ContainerPort("8080", 80, TCP))),
            new Accepted("podIP comes first unless podIPs lists it",
                    "metadata: {name: p}\nstatus: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.2}, {ip: 10.0.0.1}]}",
                    PodInfo::ips, List.of("10.0.0.2", "10.0.0.1")),
            new Accepted("podIP is put first when podIPs does not list it; repeats in podIPs stay",
                    "metadata: {name: p}\nstatus: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.2}, {ip: 10.0.0.2}]}",
                    PodInfo::ips, List.of("10.0.0.1", "10.0.0.2", "10.0.0.2")),
            new Accepted("empty and null IPs are dropped",
                    "metadata: {name: p}\nstatus: {podIP: \"\", podIPs: [{ip: \"\"}, {ip: null}, {}, {ip: 10.0.0.3}]}",
                    PodInfo::ips, List.of("10.0.0.3")),
            new Accepted("a podIPs entry may be the bare IP, and a number as an IP is its text",
                    "metadata: {name: p}\nstatus: {podIP: 7, podIPs: [10.0.0.4]}", PodInfo::ips, List.of("7", "10.0.0.4")),
            new Accepted("a pod that succeeded keeps no IP",
                    "metadata: {name: p}\nstatus: {phase: Succeeded, podIP: 10.0.0.1}", PodInfo::ips, List.of()),
            new Accepted("a pod that failed keeps no IP",
                    "metadata: {name: p}\nstatus: {phase: Failed, podIPs: [{ip: 10.0.0.1}]}", PodInfo::ips, List.of()),
            new Accepted("null spec, status, labels and lists read as absent",
                    "metadata: {name: p, labels: null}\nspec: {containers: [{ports: null}]}\nstatus: {podIPs: null}",
                    pod -> List.of(pod.labels(), pod.ips(), pod.ports()), List.of(Map.of(), List.of(), List.of())),
            new Accepted("unknown fields are ignored",
                    "metadata: {name: p, colour: {any: [thing]}}\nspec: {extra: 1, containers: [{extra: {}, "
                            + "ports: [{extra: [], containerPort: 80}]}]}\nstatus: {podIPs: [{ip: 10.0.0.1, extra: {}}]}\n"
                            + "extra: x",
                    pod -> List.of(pod.ports(), pod.ips()), List.of(List.of(tcp(80)), List.of("10.0.0.1"))));

    static final List<Rejected> REJECTED = List.of(
            new Rejected("metadata that is not an object", "metadata: [p]", "Pod default/", "metadata", false),
            new Rejected("no metadata", "spec: {}", "Pod default/", "metadata", true),
            new Rejected("a name that is not a string", "metadata: {name: {first: p}, namespace: x}", "Pod x/",
                    "metadata.name", false),
            new Rejected("a namespace that is not a string", "metadata: {name: p, namespace: [x]}", "Pod p",
                    "metadata.namespace", false),
            new Rejected("labels that are not an object", "metadata: {name: p, namespace: x, labels: app=web}",
                    "Pod x/p", "metadata.labels", false),
            new Rejected("labels that are a list", "metadata: {name: p, namespace: x, labels: [app, web]}",
                    "Pod x/p", "metadata.labels", false),
            new Rejected("a label value that is an object", "metadata: {name: p, namespace: x, labels: {app: {a: b}}}",
                    "Pod x/p", "metadata.labels[app]", false),
            new Rejected("a label value that is a list", "metadata: {name: p, namespace: x, labels: {app: [web]}}",
                    "Pod x/p", "metadata.labels[app]", false),
            new Rejected("a spec that is not an object", "metadata: {name: p, namespace: x}\nspec: []",
                    "Pod x/p", "spec", false),
            new Rejected("a nodeName that is not a string", "metadata: {name: p, namespace: x}\nspec: {nodeName: {n: 1}}",
                    "Pod x/p", "spec.nodeName", false),
            new Rejected("containers that are not a list", "metadata: {name: p, namespace: x}\nspec: {containers: {name: c}}",
                    "Pod x/p", "spec.containers", false),
            new Rejected("a container that is not an object", "metadata: {name: p, namespace: x}\nspec: {containers: [c]}",
                    "Pod x/p", "spec.containers[0]", false),
            new Rejected("a null container", "metadata: {name: p, namespace: x}\nspec: {containers: [{name: a}, null]}",
                    "Pod x/p", "spec.containers[1]", true),
            new Rejected("ports that are not a list", "metadata: {name: p, namespace: x}\n"
                    + "spec: {containers: [{name: a}, {ports: {containerPort: 80}}]}", "Pod x/p", "spec.containers[1].ports", false),
            new Rejected("a port that is not an object", secondPortOfSecondContainer("80"),
                    "Pod x/p", "spec.containers[1].ports[1]", false),
            new Rejected("a null port", secondPortOfSecondContainer("null"), "Pod x/p", "spec.containers[1].ports[1]", true),
            new Rejected("a containerPort in text that is not a number", secondPortOfSecondContainer("{containerPort: abc}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a containerPort in text that is not an integer", secondPortOfSecondContainer("{containerPort: \"80.0\"}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a containerPort in hexadecimal text", secondPortOfSecondContainer("{containerPort: \"0x50\"}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a containerPort beyond an int", secondPortOfSecondContainer("{containerPort: 2147483648}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a fractional containerPort beyond an int", secondPortOfSecondContainer("{containerPort: 1e10}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a boolean containerPort", secondPortOfSecondContainer("{containerPort: true}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a containerPort that is an object", secondPortOfSecondContainer("{containerPort: {}}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a containerPort that is a list", secondPortOfSecondContainer("{containerPort: [80]}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a bad containerPort even with an unknown protocol",
                    secondPortOfSecondContainer("{containerPort: abc, protocol: ICMP}"),
                    "Pod x/p", "spec.containers[1].ports[1].containerPort", false),
            new Rejected("a protocol that is not a string", secondPortOfSecondContainer("{containerPort: 80, protocol: [UDP]}"),
                    "Pod x/p", "spec.containers[1].ports[1].protocol", false),
            new Rejected("a port name that is not a string", secondPortOfSecondContainer("{containerPort: 80, name: {}}"),
                    "Pod x/p", "spec.containers[1].ports[1].name", false),
            new Rejected("a status that is not an object", "metadata: {name: p, namespace: x}\nstatus: Running",
                    "Pod x/p", "status", false),
            new Rejected("a phase that is not a string", "metadata: {name: p, namespace: x}\nstatus: {phase: {}}",
                    "Pod x/p", "status.phase", false),
            new Rejected("a podIP that is not a string", "metadata: {name: p, namespace: x}\nstatus: {podIP: [10.0.0.1]}",
                    "Pod x/p", "status.podIP", false),
            new Rejected("a podIP that is not a string, in a terminated pod",
                    "metadata: {name: p, namespace: x}\nstatus: {phase: Failed, podIP: {}}", "Pod x/p", "status.podIP", false),
            new Rejected("podIPs that are not a list", "metadata: {name: p, namespace: x}\nstatus: {podIPs: 10.0.0.1}",
                    "Pod x/p", "status.podIPs", false),
            new Rejected("podIPs that are an object", "metadata: {name: p, namespace: x}\nstatus: {podIPs: {ip: 10.0.0.1}}",
                    "Pod x/p", "status.podIPs", false),
            new Rejected("a podIPs entry that is a number", "metadata: {name: p, namespace: x}\nstatus: {podIPs: [{ip: a}, 5]}",
                    "Pod x/p", "status.podIPs[1]", false),
            new Rejected("a null podIPs entry", "metadata: {name: p, namespace: x}\nstatus: {podIPs: [{ip: a}, null]}",
                    "Pod x/p", "status.podIPs[1]", true),
            new Rejected("an ip that is not a string", "metadata: {name: p, namespace: x}\nstatus: {podIPs: [{ip: {v4: a}}]}",
                    "Pod x/p", "status.podIPs[0].ip", false));

    private final KubeObjectConverter converter = KubeObjectConverter.forTrimmedRecords();

    /** The contract: every Pod of the examples and corpora converts to what the fabric8 path gave. */
    @TestFactory
    Stream<DynamicTest> everyCorpusPodConvertsAsThroughFabric8() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        Map<String, Integer> podsPerRoot = new TreeMap<>();
        for (Corpus.File file : Corpus.files()) {
            List<JsonNode> filePods = Corpus.objectsOf(file.path()).stream()
                    .filter(object -> object.path("apiVersion").asText().equals("v1"))
                    .filter(object -> object.path("kind").asText().equals("Pod")).toList();
            if (filePods.isEmpty()) {
                continue;
            }
            podsPerRoot.merge(file.root().name(), filePods.size(), Integer::sum);
            tests.add(DynamicTest.dynamicTest(file.label() + " (" + filePods.size() + " pods)", () -> {
                for (JsonNode pod : filePods) {
                    assertEquals(Fabric8PodConversion.convert(pod), converter.convert(pod), pod.path("metadata").toString());
                }
            }));
        }
        assertTrue(podsPerRoot.getOrDefault("examples", 0) > 0 && podsPerRoot.getOrDefault("own", 0) > 100,
                "the examples and the own cases have pods: " + podsPerRoot);
        assertTrue(!podsPerRoot.containsKey("upstream") || podsPerRoot.get("upstream") > 400,
                "the upstream corpus, when present, has its pods: " + podsPerRoot);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> fabric8sCoercionsAreKept() {
        return ACCEPTED.stream().map(row -> DynamicTest.dynamicTest(row.rule(), () -> {
            JsonNode pod = pod(row.pod());
            Converted converted = converter.convert(pod);
            PodInfo read = (PodInfo) converted.resource().orElseThrow(() -> new AssertionError(converted.rejections()));
            assertEquals(row.expected(), row.part().apply(read));
            assertEquals(Fabric8PodConversion.convert(pod), converted, "as through fabric8");
        }));
    }

    @TestFactory
    Stream<DynamicTest> aMalformedFieldRejectsThePodNamingObjectAndField() {
        return REJECTED.stream().map(row -> DynamicTest.dynamicTest(row.problem(), () -> {
            JsonNode pod = pod(row.pod());
            Converted converted = converter.convert(pod);
            assertTrue(converted.resource().isEmpty(), "read as " + converted.resource());
            assertEquals(1, converted.rejections().size(), converted.rejections().toString());
            Rejection rejection = converted.rejections().get(0);
            assertEquals(row.object(), rejection.object().toString());
            assertEquals("", rejection.field());
            assertTrue(rejection.reason().startsWith("malformed object: " + row.field() + " "), rejection.reason());
            if (row.crashedBefore()) {
                assertThrows(NullPointerException.class, () -> Fabric8PodConversion.convert(pod));
            } else {
                assertFalse(Fabric8PodConversion.convert(pod).rejections().isEmpty(), "fabric8 rejected it too");
            }
        }));
    }

    /** Decision: fields Stockade does not read are not checked; fabric8 rejected these for their types. */
    @Test
    void fieldsThatAreNotReadAreNotChecked() {
        JsonNode pod = pod("metadata: {name: p, namespace: x, generation: first, annotations: {note: {}}}\n"
                + "spec: {volumes: none, containers: [{image: {}, ports: [{containerPort: 80, hostPort: abc}]}]}");
        assertEquals(List.of(tcp(80)), ((PodInfo) converter.convert(pod).resource().orElseThrow()).ports());
        assertFalse(Fabric8PodConversion.convert(pod).rejections().isEmpty());
    }

    private static JsonNode pod(String fields) {
        try {
            return YAML.readTree("apiVersion: v1\nkind: Pod\n" + fields + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ports(String ports) {
        return "metadata: {name: p}\nspec: {containers: [{name: c, ports: [" + ports + "]}]}";
    }

    private static String secondPortOfSecondContainer(String port) {
        return "metadata: {name: p, namespace: x}\nspec: {containers: [{name: a}, {ports: [{containerPort: 81}, " + port + "]}]}";
    }

    private static ContainerPort tcp(int port) {
        return new ContainerPort(null, port, TCP);
    }
}
