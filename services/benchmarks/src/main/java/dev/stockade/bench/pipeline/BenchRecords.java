package dev.stockade.bench.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.bench.ScaleShapes;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Resource;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code stockade.resources} records as the listener writes them (trimmed Kubernetes objects in
 * a {@link ResourceRecord}, keyed {@code Kind/namespace/name}) for Antrea's small-namespaces shape
 * ({@link ScaleShapes#smallNamespaces}): per namespace 3 policies and 4 pods.
 *
 * <p>Pods carry what a real Deployment's pod keeps after trimming: the shape's selector label
 * plus the usual {@code app.kubernetes.io/*} and {@code pod-template-hash} labels, two
 * containers with named ports, dual-stack IPs — about 1 KB per record.
 */
public final class BenchRecords {

    /** One record: key and value bytes. */
    public record Entry(String key, byte[] value) {
    }

    /** Namespaces and policies (the cluster the pods land in), then the pods, in shape order. */
    public record Shape(List<Entry> clusterObjects, List<Entry> pods) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long OBSERVED_AT = 1_790_000_000_000L;

    private BenchRecords() {
    }

    /** The small-namespaces shape with {@code pods / 4} namespaces. */
    public static Shape smallNamespaces(int pods) {
        List<Entry> cluster = new ArrayList<>();
        List<Entry> podRecords = new ArrayList<>();
        int index = 0;
        for (Resource resource : ScaleShapes.smallNamespaces(pods / 4)) {
            if (resource instanceof PodInfo pod) {
                podRecords.add(entry(resource, pod(pod, index++)));
            } else if (resource instanceof NamespaceInfo namespace) {
                cluster.add(entry(resource, namespace(namespace)));
            } else if (resource instanceof NetworkPolicyInfo policy) {
                cluster.add(entry(resource, policy(policy)));
            }
        }
        return new Shape(cluster, podRecords);
    }

    /** A new pod {@code name} in {@code namespace} on {@code node}, selected by the shape's np-1. */
    public static Entry extraPod(String namespace, String name, int index) {
        PodInfo pod = new PodInfo(namespace, name, Map.of("app-1", "scale-1"), "node-" + (index % ScaleShapes.NODES),
                List.of("10.200." + ((index >> 8) & 255) + "." + (index & 255)), List.of());
        return entry(pod, pod(pod, 1_000_000 + index));
    }

    private static Entry entry(Resource resource, ObjectNode object) {
        byte[] value = WireJson.encode(ResourceRecord.of(object.path("metadata").path("resourceVersion").asText(),
                OBSERVED_AT, object));
        return new Entry(ResourceKey.of(resource.ref()).encode(), value);
    }

    static ObjectNode pod(PodInfo pod, int index) {
        ObjectNode object = header("v1", "Pod");
        TreeMap<String, String> labels = new TreeMap<>(pod.labels());
        labels.put("app.kubernetes.io/name", "scale-app-" + (index % 97));
        labels.put("app.kubernetes.io/instance", pod.namespace() + "-release");
        labels.put("app.kubernetes.io/version", "1.27.4");
        labels.put("app.kubernetes.io/component", "backend-service");
        labels.put("app.kubernetes.io/part-of", "stockade-benchmark-tenant");
        labels.put("app.kubernetes.io/managed-by", "Helm");
        labels.put("pod-template-hash", Integer.toHexString(0x5f000000 + index * 7919));
        metadata(object, pod.name(), pod.namespace(), labels, index);
        ObjectNode spec = object.putObject("spec").put("nodeName", pod.nodeName());
        ArrayNode containers = spec.putArray("containers");
        ports(containers.addObject(), 8080, "http", 9090, "metrics");
        ports(containers.addObject(), 15001, "proxy-admin", 15090, "proxy-stats");
        ObjectNode status = object.putObject("status").put("phase", "Running").put("podIP", pod.ips().get(0));
        ArrayNode ips = status.putArray("podIPs");
        ips.addObject().put("ip", pod.ips().get(0));
        ips.addObject().put("ip", "fd00:10:244::" + Integer.toHexString(index + 1));
        return object;
    }

    private static void ports(ObjectNode container, int first, String firstName, int second, String secondName) {
        ArrayNode ports = container.putArray("ports");
        ports.addObject().put("name", firstName).put("containerPort", first).put("protocol", "TCP");
        ports.addObject().put("name", secondName).put("containerPort", second).put("protocol", "TCP");
    }

    private static ObjectNode namespace(NamespaceInfo namespace) {
        ObjectNode object = header("v1", "Namespace");
        metadata(object, namespace.name(), null, new TreeMap<>(namespace.labels()), 0);
        return object;
    }

    /** The shape's policies: podSelector and ingress peers are plain matchLabels. */
    private static ObjectNode policy(NetworkPolicyInfo policy) {
        ObjectNode object = header("networking.k8s.io/v1", "NetworkPolicy");
        metadata(object, policy.name(), policy.namespace(), new TreeMap<>(), 0);
        ObjectNode spec = object.putObject("spec");
        selector(spec.putObject("podSelector"), policy.podSelector());
        ArrayNode types = spec.putArray("policyTypes");
        policy.policyTypes().forEach(types::add);
        ArrayNode ingress = spec.putArray("ingress");
        for (NetworkPolicyInfo.Rule rule : policy.ingress()) {
            ArrayNode from = ingress.addObject().putArray("from");
            rule.peers().forEach(peer -> selector(from.addObject().putObject("podSelector"), peer.podSelector()));
        }
        return object;
    }

    private static void selector(ObjectNode into, LabelSelectorSpec selector) {
        ObjectNode labels = into.putObject("matchLabels");
        new TreeMap<>(selector.matchLabels()).forEach(labels::put);
    }

    private static ObjectNode header(String apiVersion, String kind) {
        return JSON.objectNode().put("apiVersion", apiVersion).put("kind", kind);
    }

    private static void metadata(ObjectNode object, String name, String namespace, TreeMap<String, String> labels,
                                 int index) {
        ObjectNode metadata = object.putObject("metadata").put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        if (!labels.isEmpty()) {
            ObjectNode labelNode = metadata.putObject("labels");
            labels.forEach(labelNode::put);
        }
        metadata.put("resourceVersion", String.valueOf(40_000_000 + index));
    }
}
