package dev.stockade.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes Antrea's small-namespaces shape ({@link ScaleShapes#smallNamespaces}: per namespace 4 pods
 * and the policies default-deny-all, np-1 and np-2; pods round-robin over {@value ScaleShapes#NODES}
 * nodes) as Kubernetes manifests, for timing {@code stockade compile --manifests DIR} from outside
 * (BENCHMARKS.md, P1c). Pods are written as {@code kubectl get pods -A -o json} writes them (uid,
 * resourceVersion, a container with a port and resources, conditions, host IP; about 1.3 KB each),
 * not trimmed to what Stockade reads.
 *
 * <p>Layouts: {@code lists} is one JSON file per kind, each a single {@code List} with
 * {@code kind} after {@code items} as kubectl writes it (pods.json about 130 MB at 100,000 pods);
 * {@code split} is one multi-document YAML file per namespace (its namespace, policies and pods).
 *
 * <pre>java -cp services/benchmarks/target/benchmarks.jar dev.stockade.bench.ManifestShapes lists|split DIR [NAMESPACES]</pre>
 */
public final class ManifestShapes {

    private ManifestShapes() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ManifestShapes lists|split DIR [NAMESPACES (default 25000)]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[1]));
        int namespaces = args.length > 2 ? Integer.parseInt(args[2]) : 25_000;
        switch (args[0]) {
            case "lists" -> writeLists(dir, namespaces);
            case "split" -> writeSplit(dir, namespaces);
            default -> throw new IllegalArgumentException("unknown layout " + args[0] + " (lists or split)");
        }
    }

    /** namespaces.json, networkpolicies.json, pods.json: one List each. */
    static void writeLists(Path dir, int namespaces) throws IOException {
        try (Writer out = writer(dir.resolve("namespaces.json"))) {
            list(out, namespaces, (n, item) -> item.append(namespace(n)));
        }
        try (Writer out = writer(dir.resolve("networkpolicies.json"))) {
            list(out, namespaces * 3, (i, item) -> item.append(policy(i / 3, i % 3)));
        }
        try (Writer out = writer(dir.resolve("pods.json"))) {
            list(out, namespaces * 4, (i, item) -> item.append(pod(i / 4, i % 4 + 1, i)));
        }
    }

    /** ns-N.yaml per namespace: the namespace, its 3 policies, its 4 pods, as YAML documents (JSON flow style). */
    static void writeSplit(Path dir, int namespaces) throws IOException {
        for (int n = 0; n < namespaces; n++) {
            try (Writer out = writer(dir.resolve("ns-" + n + ".yaml"))) {
                out.write(namespace(n));
                for (int p = 0; p < 3; p++) {
                    out.write("\n---\n");
                    out.write(policy(n, p));
                }
                for (int p = 1; p <= 4; p++) {
                    out.write("\n---\n");
                    out.write(pod(n, p, n * 4 + p - 1));
                }
                out.write('\n');
            }
        }
    }

    private interface Item {
        void write(int index, StringBuilder item);
    }

    private static void list(Writer out, int count, Item item) throws IOException {
        out.write("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
        StringBuilder text = new StringBuilder(2048);
        for (int i = 0; i < count; i++) {
            text.setLength(0);
            item.write(i, text);
            out.write(text.toString());
            out.write(i + 1 < count ? ",\n" : "\n");
        }
        out.write("    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n");
    }

    private static String namespace(int n) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns-" + n
                + "\",\"uid\":\"" + uid(n, 0) + "\",\"resourceVersion\":\"" + (1000 + n)
                + "\",\"creationTimestamp\":\"2026-11-27T10:00:00Z\",\"labels\":{\"app\":\"ns-" + n
                + "\",\"kubernetes.io/metadata.name\":\"ns-" + n + "\"}},\"spec\":{\"finalizers\":[\"kubernetes\"]},"
                + "\"status\":{\"phase\":\"Active\"}}";
    }

    /** 0: default-deny-all (selects every pod, no rule); 1, 2: np-K selecting app-K=scale-K, ingress from the same. */
    private static String policy(int n, int which) {
        String name = which == 0 ? "default-deny-all" : "np-" + which;
        String selector = which == 0 ? "{}" : "{\"matchLabels\":{\"app-" + which + "\":\"scale-" + which + "\"}}";
        String ingress = which == 0 ? "" : ",\"ingress\":[{\"from\":[{\"podSelector\":" + selector + "}]}]";
        return "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"ns-" + n + "\",\"uid\":\"" + uid(n, which + 1) + "\",\"resourceVersion\":\""
                + (200_000 + n * 3 + which) + "\",\"generation\":1,\"creationTimestamp\":\"2026-11-27T10:00:00Z\"},"
                + "\"spec\":{\"podSelector\":" + selector + ",\"policyTypes\":[\"Ingress\",\"Egress\"]" + ingress + "}}";
    }

    /** Pod p (1..4) of namespace n, the index-th pod overall: labels app-1 for pods 1-2, app-2 for 3-4. */
    private static String pod(int n, int p, int index) {
        String label = p <= 2 ? "\"app-1\":\"scale-1\"" : "\"app-2\":\"scale-2\"";
        String ip = "10." + ((index >> 16) & 255) + "." + ((index >> 8) & 255) + "." + (index & 255);
        int node = index % ScaleShapes.NODES;
        String hostIp = "172.16." + (node >> 8) + "." + (node & 255);
        String name = "pod" + p;
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"creationTimestamp\":\"2026-11-27T10:00:00Z\","
                + "\"labels\":{" + label + ",\"pod-template-hash\":\"5d4f8c7b9\"},\"name\":\"" + name
                + "\",\"namespace\":\"ns-" + n + "\",\"resourceVersion\":\"" + (500_000 + index) + "\",\"uid\":\""
                + uid(n, 10 + p) + "\"},\"spec\":{\"containers\":[{\"image\":\"registry.k8s.io/e2e-test-images/agnhost:2.53\","
                + "\"imagePullPolicy\":\"IfNotPresent\",\"name\":\"app\",\"ports\":[{\"containerPort\":8080,\"name\":\"http\","
                + "\"protocol\":\"TCP\"}],\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}},"
                + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"}],"
                + "\"dnsPolicy\":\"ClusterFirst\",\"enableServiceLinks\":true,\"nodeName\":\"node-" + node + "\","
                + "\"preemptionPolicy\":\"PreemptLowerPriority\",\"priority\":0,\"restartPolicy\":\"Always\","
                + "\"schedulerName\":\"default-scheduler\",\"securityContext\":{},\"serviceAccount\":\"default\","
                + "\"serviceAccountName\":\"default\",\"terminationGracePeriodSeconds\":30},"
                + "\"status\":{\"conditions\":[{\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-11-27T10:00:01Z\","
                + "\"status\":\"True\",\"type\":\"Initialized\"},{\"lastProbeTime\":null,"
                + "\"lastTransitionTime\":\"2026-11-27T10:00:03Z\",\"status\":\"True\",\"type\":\"Ready\"},"
                + "{\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-11-27T10:00:01Z\",\"status\":\"True\","
                + "\"type\":\"PodScheduled\"}],\"hostIP\":\"" + hostIp + "\",\"phase\":\"Running\",\"podIP\":\"" + ip
                + "\",\"podIPs\":[{\"ip\":\"" + ip + "\"}],\"qosClass\":\"Burstable\","
                + "\"startTime\":\"2026-11-27T10:00:01Z\"}}";
    }

    private static String uid(int n, int k) {
        return String.format("%08x-0000-4000-8000-%012x", n, k);
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }
}
