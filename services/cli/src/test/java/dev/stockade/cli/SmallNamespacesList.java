package dev.stockade.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.NetworkPolicyInfo.IpBlockSpec;
import dev.stockade.core.model.NetworkPolicyInfo.Peer;
import dev.stockade.core.model.NetworkPolicyInfo.Port;
import dev.stockade.core.model.NetworkPolicyInfo.Rule;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Resource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A variant of Antrea's small-namespaces shape (the benchmarks' {@code ManifestShapes}, which the
 * CLI's tests cannot depend on), written as one {@code kind: List} the way
 * {@code kubectl get ns,netpol,pods -A -o json} writes it, and as the core's own records, so a
 * test can compare what the CLI reads from the file with what the core compiles from the records.
 *
 * <p>Per namespace {@code ns-N} (label {@code team}): policies {@code default-deny-all} (Ingress
 * and Egress, not in every fifth namespace), {@code np-1} (pods {@code app-1}: ingress from the
 * same on 8080/TCP) and {@code np-2} (pod {@code app-2}: ingress from the namespace's pods on the
 * named port {@code http}, egress to 10.0.0.0/8 except 10.255.0.0/16 on 53/UDP); pods
 * {@code pod1}..{@code pod4} ({@code app-1}, {@code app-1}, {@code app-2}, none: {@code pod4} of
 * every fifth namespace is selected by no policy), round-robin over {@value #NODES} nodes, about
 * 2.6 KB each as kubectl writes them; every 97th pod is pending (no node, no IP).
 *
 * <p>Items are written one per line (line = item + 2), each as the generator streams it: the file
 * is never a string.
 */
final class SmallNamespacesList {

    static final int NODES = 200;

    private final int namespaces;

    SmallNamespacesList(int namespaces) {
        this.namespaces = namespaces;
    }

    /** Items in the list: namespaces, then policies, then pods. */
    int items() {
        return namespaces + policies().size() + namespaces * 4;
    }

    /** The line item {@code item} (from 0) is written on. */
    static int lineOf(int item) {
        return item + 2;
    }

    /** Nodes that get pods. */
    int nodes() {
        return Math.min(NODES, namespaces * 4);
    }

    void write(Path file) throws IOException {
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             JsonGenerator out = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8)) {
            // the items are written as root values, which the generator separates with this; the list's head and tail are raw
            out.setRootValueSeparator(new SerializedString(",\n"));
            out.writeRaw("{\"apiVersion\":\"v1\",\"items\":[\n");
            for (int n = 0; n < namespaces; n++) {
                writeNamespace(out, n);
            }
            for (int[] policy : policies()) {
                writePolicy(out, policy[0], policy[1]);
            }
            for (int i = 0; i < namespaces * 4; i++) {
                writePod(out, i);
            }
            out.writeRaw("\n],\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"}}\n");
        }
    }

    /** The same objects as the core's records, in the list's order. */
    List<Resource> objects() {
        List<Resource> objects = new ArrayList<>();
        for (int n = 0; n < namespaces; n++) {
            objects.add(new NamespaceInfo(namespace(n), Map.of("team", team(n), NamespaceInfo.NAME_LABEL, namespace(n)), null));
        }
        for (int[] policy : policies()) {
            objects.add(policyInfo(policy[0], policy[1]));
        }
        for (int i = 0; i < namespaces * 4; i++) {
            objects.add(new PodInfo(namespace(i / 4), podName(i), podLabels(i), pending(i) ? null : node(i),
                    pending(i) ? List.of() : List.of(ip(i)),
                    List.of(new ContainerPort("http", 8080, Protocol.TCP), new ContainerPort("metrics", 9090, Protocol.TCP))));
        }
        return objects;
    }

    /** Per node, the pods scheduled there with an IP ({@code ns/pod}). */
    Map<String, Set<String>> localPodsByNode() {
        return byNode(i -> true, i -> List.of(namespace(i / 4) + "/" + podName(i)));
    }

    /** Per node, its pods some policy selects: all but pod4 of a namespace without default-deny-all. */
    Map<String, Set<String>> isolatedPodsByNode() {
        return byNode(i -> !(i % 4 == 3 && !hasDefaultDeny(i / 4)), i -> List.of(namespace(i / 4) + "/" + podName(i)));
    }

    /** Per node, the policies ({@code ns/name}) selecting a pod there. */
    Map<String, Set<String>> policiesByNode() {
        return byNode(i -> true, i -> {
            String ns = namespace(i / 4);
            List<String> selecting = new ArrayList<>();
            if (hasDefaultDeny(i / 4)) {
                selecting.add(ns + "/default-deny-all");
            }
            if (i % 4 <= 1) {
                selecting.add(ns + "/np-1");
            } else if (i % 4 == 2) {
                selecting.add(ns + "/np-2");
            }
            return selecting;
        });
    }

    private interface PodPredicate {
        boolean test(int pod);
    }

    private interface PodValues {
        List<String> of(int pod);
    }

    private Map<String, Set<String>> byNode(PodPredicate which, PodValues values) {
        Map<String, Set<String>> byNode = new TreeMap<>();
        for (int i = 0; i < namespaces * 4; i++) {
            if (!pending(i)) {
                Set<String> onNode = byNode.computeIfAbsent(node(i), node -> new TreeSet<>());
                if (which.test(i)) {
                    onNode.addAll(values.of(i));
                }
            }
        }
        return byNode;
    }

    /** {namespace, which}: 0 default-deny-all, 1 np-1, 2 np-2. */
    private List<int[]> policies() {
        List<int[]> policies = new ArrayList<>();
        for (int n = 0; n < namespaces; n++) {
            for (int which = hasDefaultDeny(n) ? 0 : 1; which <= 2; which++) {
                policies.add(new int[] {n, which});
            }
        }
        return policies;
    }

    private static boolean hasDefaultDeny(int n) {
        return n % 5 != 0;
    }

    private static boolean pending(int i) {
        return i % 97 == 42;
    }

    private static String namespace(int n) {
        return "ns-" + n;
    }

    private static String team(int n) {
        return "team-" + n % 7;
    }

    private static String podName(int i) {
        return "pod" + (i % 4 + 1);
    }

    private static String node(int i) {
        return "node-" + i % NODES;
    }

    private static String ip(int i) {
        int a = i + 1;
        return "10." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    private static String policyName(int which) {
        return which == 0 ? "default-deny-all" : "np-" + which;
    }

    private static Map<String, String> podLabels(int i) {
        Map<String, String> labels = new TreeMap<>(Map.of("app.kubernetes.io/name", "shop",
                "app.kubernetes.io/instance", namespace(i / 4), "pod-template-hash", "5d4f8c7b9"));
        switch (i % 4) {
            case 0, 1 -> labels.put("app-1", "scale-1");
            case 2 -> labels.put("app-2", "scale-2");
            default -> labels.put("role", "batch");
        }
        return labels;
    }

    private static NetworkPolicyInfo policyInfo(int n, int which) {
        String ns = namespace(n);
        List<String> both = List.of("Ingress", "Egress");
        return switch (which) {
            case 0 -> new NetworkPolicyInfo(ns, policyName(0), LabelSelectorSpec.ALL, both, null, null);
            case 1 -> {
                LabelSelectorSpec app1 = LabelSelectorSpec.ofLabels(Map.of("app-1", "scale-1"));
                yield new NetworkPolicyInfo(ns, policyName(1), app1, List.of("Ingress"),
                        List.of(new Rule(List.of(new Peer(app1, null, null)), List.of(new Port("TCP", 8080, null, null)))), null);
            }
            default -> new NetworkPolicyInfo(ns, policyName(2), LabelSelectorSpec.ofLabels(Map.of("app-2", "scale-2")), both,
                    List.of(new Rule(List.of(new Peer(LabelSelectorSpec.ALL, null, null)), List.of(new Port(null, null, "http", null)))),
                    List.of(new Rule(List.of(new Peer(null, null, new IpBlockSpec("10.0.0.0/8", List.of("10.255.0.0/16")))),
                            List.of(new Port("UDP", 53, null, null)))));
        };
    }

    private static void writeNamespace(JsonGenerator out, int n) throws IOException {
        out.writeStartObject();
        out.writeStringField("apiVersion", "v1");
        out.writeStringField("kind", "Namespace");
        out.writeObjectFieldStart("metadata");
        out.writeStringField("name", namespace(n));
        out.writeStringField("uid", uid(n, 0));
        out.writeStringField("resourceVersion", String.valueOf(1000 + n));
        out.writeStringField("creationTimestamp", "2026-11-27T10:00:00Z");
        writeLabels(out, "labels", Map.of("team", team(n), NamespaceInfo.NAME_LABEL, namespace(n)));
        out.writeEndObject();
        out.writeObjectFieldStart("spec");
        out.writeArrayFieldStart("finalizers");
        out.writeString("kubernetes");
        out.writeEndArray();
        out.writeEndObject();
        out.writeObjectFieldStart("status");
        out.writeStringField("phase", "Active");
        out.writeEndObject();
        out.writeEndObject();
    }

    private static void writePolicy(JsonGenerator out, int n, int which) throws IOException {
        out.writeStartObject();
        out.writeStringField("apiVersion", "networking.k8s.io/v1");
        out.writeStringField("kind", "NetworkPolicy");
        out.writeObjectFieldStart("metadata");
        out.writeStringField("name", policyName(which));
        out.writeStringField("namespace", namespace(n));
        out.writeStringField("uid", uid(n, 1 + which));
        out.writeStringField("resourceVersion", String.valueOf(200_000 + n * 3 + which));
        out.writeNumberField("generation", 1);
        out.writeStringField("creationTimestamp", "2026-11-27T10:00:00Z");
        out.writeEndObject();
        out.writeObjectFieldStart("spec");
        out.writeObjectFieldStart("podSelector");
        if (which > 0) {
            writeLabels(out, "matchLabels", Map.of("app-" + which, "scale-" + which));
        }
        out.writeEndObject();
        out.writeArrayFieldStart("policyTypes");
        out.writeString("Ingress");
        if (which != 1) {
            out.writeString("Egress");
        }
        out.writeEndArray();
        if (which == 1) {
            out.writeRaw(",\"ingress\":[{\"from\":[{\"podSelector\":{\"matchLabels\":{\"app-1\":\"scale-1\"}}}],"
                    + "\"ports\":[{\"protocol\":\"TCP\",\"port\":8080}]}]");
        } else if (which == 2) {
            out.writeRaw(",\"ingress\":[{\"from\":[{\"podSelector\":{}}],\"ports\":[{\"port\":\"http\"}]}],"
                    + "\"egress\":[{\"to\":[{\"ipBlock\":{\"cidr\":\"10.0.0.0/8\",\"except\":[\"10.255.0.0/16\"]}}],"
                    + "\"ports\":[{\"protocol\":\"UDP\",\"port\":53}]}]");
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    /** A pod as kubectl writes one: the fields Stockade reads amid the ones it does not. */
    private static void writePod(JsonGenerator out, int i) throws IOException {
        int n = i / 4;
        out.writeStartObject();
        out.writeStringField("apiVersion", "v1");
        out.writeStringField("kind", "Pod");
        out.writeObjectFieldStart("metadata");
        out.writeStringField("name", podName(i));
        out.writeStringField("namespace", namespace(n));
        out.writeStringField("generateName", "shop-5d4f8c7b9-");
        out.writeStringField("uid", uid(n, 10 + i % 4));
        out.writeStringField("resourceVersion", String.valueOf(500_000 + i));
        out.writeStringField("creationTimestamp", "2026-11-27T10:00:00Z");
        writeLabels(out, "labels", podLabels(i));
        writeLabels(out, "annotations", Map.of("kubectl.kubernetes.io/restartedAt", "2026-11-27T09:59:00Z",
                "prometheus.io/scrape", "true", "prometheus.io/port", "9090"));
        out.writeRaw(",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"shop-5d4f8c7b9\","
                + "\"uid\":\"" + uid(n, 9) + "\",\"controller\":true,\"blockOwnerDeletion\":true}]");
        out.writeEndObject();
        out.writeObjectFieldStart("spec");
        out.writeStringField("dnsPolicy", "ClusterFirst");
        out.writeRaw(",\"containers\":[{\"name\":\"app\",\"image\":\"registry.k8s.io/e2e-test-images/agnhost:2.53\","
                + "\"imagePullPolicy\":\"IfNotPresent\",\"args\":[\"netexec\",\"--http-port=8080\"],"
                + "\"ports\":[{\"containerPort\":8080,\"name\":\"http\",\"protocol\":\"TCP\"},"
                + "{\"containerPort\":9090,\"name\":\"metrics\",\"protocol\":\"TCP\"}],"
                + "\"env\":[{\"name\":\"SHOP_NAMESPACE\",\"value\":\"" + namespace(n) + "\"},{\"name\":\"LOG_LEVEL\",\"value\":\"info\"}],"
                + "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"},\"limits\":{\"memory\":\"64Mi\"}},"
                + "\"volumeMounts\":[{\"name\":\"kube-api-access-7x2kq\",\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\","
                + "\"readOnly\":true}],\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"}]");
        out.writeBooleanField("enableServiceLinks", true);
        if (!pending(i)) {
            out.writeStringField("nodeName", node(i));
        }
        out.writeStringField("restartPolicy", "Always");
        out.writeStringField("schedulerName", "default-scheduler");
        out.writeStringField("serviceAccountName", "default");
        out.writeNumberField("terminationGracePeriodSeconds", 30);
        out.writeRaw(",\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\","
                + "\"effect\":\"NoExecute\",\"tolerationSeconds\":300},{\"key\":\"node.kubernetes.io/unreachable\","
                + "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]");
        out.writeEndObject();
        out.writeObjectFieldStart("status");
        if (pending(i)) {
            out.writeStringField("phase", "Pending");
            out.writeRaw(",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\",\"reason\":\"Unschedulable\","
                    + "\"lastTransitionTime\":\"2026-11-27T10:00:01Z\"}]");
        } else {
            out.writeStringField("phase", "Running");
            out.writeStringField("hostIP", "172.16.0." + i % NODES);
            out.writeStringField("podIP", ip(i));
            out.writeRaw(",\"podIPs\":[{\"ip\":\"" + ip(i) + "\"}],\"conditions\":["
                    + "{\"type\":\"Initialized\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-27T10:00:01Z\"},"
                    + "{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-27T10:00:03Z\"},"
                    + "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-27T10:00:01Z\"}],"
                    + "\"containerStatuses\":[{\"name\":\"app\",\"ready\":true,\"started\":true,\"restartCount\":0,"
                    + "\"image\":\"registry.k8s.io/e2e-test-images/agnhost:2.53\",\"imageID\":\"registry.k8s.io/e2e-test-images/"
                    + "agnhost@sha256:99c6b4bb4a1e1df3f0b3752168c89358794d02258ebebc26bf21c29399011a85\","
                    + "\"containerID\":\"containerd://" + uid(n, 20 + i % 4).replace("-", "") + "\","
                    + "\"state\":{\"running\":{\"startedAt\":\"2026-11-27T10:00:02Z\"}},\"lastState\":{}}]");
            out.writeStringField("startTime", "2026-11-27T10:00:01Z");
        }
        out.writeStringField("qosClass", "Burstable");
        out.writeEndObject();
        out.writeEndObject();
    }

    private static void writeLabels(JsonGenerator out, String field, Map<String, String> labels) throws IOException {
        out.writeObjectFieldStart(field);
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            out.writeStringField(label.getKey(), label.getValue());
        }
        out.writeEndObject();
    }

    private static String uid(int n, int k) {
        return String.format("%08x-0000-4000-8000-%012x", n, k);
    }
}
