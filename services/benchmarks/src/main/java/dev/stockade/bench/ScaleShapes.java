package dev.stockade.bench;

import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Antrea's controller scale shapes ({@code pkg/controller/networkpolicy/networkpolicy_controller_perf_test.go}),
 * as core records: every policy has policyTypes Ingress and Egress like Antrea's
 * {@code newNetworkPolicy}; pods are spread round-robin over 1,000 nodes with unique IPs.
 */
public final class ScaleShapes {

    public static final int NODES = 1000;

    private ScaleShapes() {
    }

    /** The shape by name: small-namespaces, large-namespaces, one-namespace. */
    public static List<Resource> shape(String name) {
        return switch (name) {
            case "small-namespaces" -> smallNamespaces(25_000);
            case "large-namespaces" -> largeNamespaces(100);
            case "one-namespace" -> oneNamespace(10_000);
            default -> throw new IllegalArgumentException("unknown shape " + name);
        };
    }

    /** Shape 1: per namespace 4 pods and 3 policies (default deny, np-1, np-2): 25k ns = 100k pods, 75k policies. */
    public static List<Resource> smallNamespaces(int namespaces) {
        List<Resource> objects = new ArrayList<>();
        int pod = 0;
        for (int n = 0; n < namespaces; n++) {
            String ns = "ns-" + n;
            objects.add(new NamespaceInfo(ns, Map.of("app", ns), null));
            objects.add(policy(ns, "default-deny-all", Map.of(), null));
            objects.add(policy(ns, "np-1", Map.of("app-1", "scale-1"), Map.of("app-1", "scale-1")));
            objects.add(policy(ns, "np-2", Map.of("app-2", "scale-2"), Map.of("app-2", "scale-2")));
            for (int p = 1; p <= 4; p++) {
                Map<String, String> labels = p <= 2 ? Map.of("app-1", "scale-1") : Map.of("app-2", "scale-2");
                objects.add(pod(ns, "pod" + p, labels, pod++));
            }
        }
        return objects;
    }

    /** Shape 2: per namespace 1,000 pods in 100 label groups of 10, a default deny and one policy per group. */
    public static List<Resource> largeNamespaces(int namespaces) {
        List<Resource> objects = new ArrayList<>();
        int pod = 0;
        for (int n = 0; n < namespaces; n++) {
            String ns = "ns-" + n;
            objects.add(new NamespaceInfo(ns, Map.of("app", ns), null));
            objects.add(policy(ns, "default-deny-all", Map.of(), null));
            for (int g = 0; g < 100; g++) {
                Map<String, String> labels = Map.of("app-" + g, "scale-" + g);
                objects.add(policy(ns, "np-" + g, labels, labels));
                for (int p = 0; p < 10; p++) {
                    objects.add(pod(ns, "pod-" + g + "-" + p, labels, pod++));
                }
            }
        }
        return objects;
    }

    /** Shape 3: one namespace, 10,000 pods and 10,000 policies each selecting every pod, ingress from every pod. */
    public static List<Resource> oneNamespace(int count) {
        List<Resource> objects = new ArrayList<>();
        objects.add(new NamespaceInfo("scale", Map.of("app", "scale"), null));
        Map<String, String> labels = Map.of("app-1", "scale-1");
        for (int i = 0; i < count; i++) {
            objects.add(policy("scale", "np-" + i, labels, labels));
            objects.add(pod("scale", "pod-" + i, labels, i));
        }
        return objects;
    }

    /** A policy like Antrea's newNetworkPolicy: Ingress and Egress types, one ingress rule when a peer is given. */
    static NetworkPolicyInfo policy(String namespace, String name, Map<String, String> podSelector,
                                    Map<String, String> ingressFrom) {
        List<NetworkPolicyInfo.Rule> ingress = ingressFrom == null ? List.of() : List.of(new NetworkPolicyInfo.Rule(
                List.of(new NetworkPolicyInfo.Peer(LabelSelectorSpec.ofLabels(ingressFrom), null, null)), null));
        return new NetworkPolicyInfo(namespace, name, LabelSelectorSpec.ofLabels(podSelector), List.of("Ingress", "Egress"),
                ingress, List.of());
    }

    static PodInfo pod(String namespace, String name, Map<String, String> labels, int index) {
        String ip = "10." + ((index >> 16) & 255) + "." + ((index >> 8) & 255) + "." + (index & 255);
        return new PodInfo(namespace, name, labels, "node-" + (index % NODES), List.of(ip), List.of());
    }
}
