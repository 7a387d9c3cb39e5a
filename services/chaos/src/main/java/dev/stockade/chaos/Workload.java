package dev.stockade.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.kube.KubeObjectConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * The cluster the harness drives: namespaces, nodes (in two pools), pods and NetworkPolicies, one
 * JSON file each in the manifest directory the listener reads. {@link #step()} makes one random
 * event (a pod created, deleted or relabelled; a policy created, changed or deleted) by writing or
 * deleting a file atomically; {@link #expected()} is a fresh full compile ({@link Compiler#compile})
 * of what the directory holds now.
 */
final class Workload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] APPS = {"web", "db", "cache", "api"};
    static final int NAMESPACES = 3;

    private final Path dir;
    private final List<String> nodes;
    private final Random random;
    private final TreeMap<String, ObjectNode> objects = new TreeMap<>();
    private final List<String> pods = new ArrayList<>();
    private final List<String> policies = new ArrayList<>();
    private int podCounter;
    private long events;

    Workload(Path dir, List<String> nodes, long seed) {
        this.dir = dir;
        this.nodes = nodes;
        this.random = new Random(seed);
    }

    /** The pool a node is in: the first half of the nodes in pool-a, the rest in pool-b. */
    static String poolOf(List<String> nodes, String node) {
        return nodes.indexOf(node) < nodes.size() / 2 ? "pool-a" : "pool-b";
    }

    /** Namespaces, nodes, 40 pods and 4 policies. */
    void writeInitial() {
        for (int i = 0; i < NAMESPACES; i++) {
            put("ns-ns-" + i, json("""
                    {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns-%d","labels":{"team":"t%d"}}}""", i, i));
        }
        for (String node : nodes) {
            put("node-" + node, json("""
                    {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"stockade.dev/pool":"%s"}}}""",
                    node, poolOf(nodes, node)));
        }
        for (int i = 0; i < 40; i++) {
            createPod();
        }
        for (int i = 0; i < 4; i++) {
            writePolicy("pol-" + i, randomNamespace());
        }
    }

    /** One random event. */
    void step() {
        events++;
        int dice = random.nextInt(100);
        if (dice < 30 && pods.size() < 120 || pods.size() < 20) {
            createPod();
        } else if (dice < 55) {
            remove(pods.remove(random.nextInt(pods.size())));
        } else if (dice < 80) {
            relabelPod(pods.get(random.nextInt(pods.size())));
        } else if (dice < 85 && policies.size() > 2) {
            remove(policies.remove(random.nextInt(policies.size())));
        } else if (dice < 90 && policies.size() < 12) {
            writePolicy("pol-" + random.nextInt(1000), randomNamespace());
        } else if (!policies.isEmpty()) {
            String key = policies.get(random.nextInt(policies.size()));
            ObjectNode policy = objects.get(key);
            writePolicy(policy.path("metadata").path("name").asText(), policy.path("metadata").path("namespace").asText());
        }
    }

    long events() {
        return events;
    }

    /** A fresh full compile of every object the directory holds now. */
    CompiledCluster expected() {
        KubeObjectConverter converter = new KubeObjectConverter();
        Engine engine = new Engine();
        for (String prefix : List.of("ns-", "node-", "pod-", "pol-")) {
            objects.forEach((key, object) -> {
                if (key.startsWith(prefix)) {
                    converter.convert(object).resource().ifPresent(resource -> engine.apply(ResourceEvent.modified(resource)));
                }
            });
        }
        return Compiler.compile(engine.state());
    }

    private void createPod() {
        int n = ++podCounter;
        String node = nodes.get(random.nextInt(nodes.size()));
        String ip = "10." + (nodes.indexOf(node) + 1) + "." + (n / 250) + "." + (n % 250 + 1);
        String key = "pod-" + n;
        put(key, json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p-%d","namespace":"%s","labels":{"app":"%s"}},
                 "spec":{"nodeName":"%s","containers":[{"name":"c","image":"x",
                   "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]}]},
                 "status":{"phase":"Running","podIP":"%s","podIPs":[{"ip":"%s"}]}}""",
                n, randomNamespace(), app(), node, ip, ip));
        pods.add(key);
    }

    private void relabelPod(String key) {
        ObjectNode pod = objects.get(key).deepCopy();
        ((ObjectNode) pod.path("metadata").path("labels")).put("app", app());
        put(key, pod);
    }

    private void writePolicy(String name, String namespace) {
        String key = "pol-" + namespace + "-" + name;
        String peer = random.nextBoolean()
                ? "{\"podSelector\":{\"matchLabels\":{\"app\":\"" + app() + "\"}}}"
                : "{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"t" + random.nextInt(NAMESPACES) + "\"}}}";
        String rule = "[{\"%s\":[%s],\"ports\":[{\"protocol\":\"TCP\",\"port\":%d}]}]"
                .formatted(random.nextBoolean() ? "from" : "from", peer, 80 + random.nextInt(3));
        boolean egress = random.nextInt(4) == 0;
        String spec = egress
                ? "\"policyTypes\":[\"Egress\"],\"egress\":" + rule.replace("\"from\"", "\"to\"")
                : "\"policyTypes\":[\"Ingress\"],\"ingress\":" + rule;
        put(key, json("""
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"podSelector":{"matchLabels":{"app":"%s"}},%s}}""", name, namespace, app(), spec));
        if (!policies.contains(key)) {
            policies.add(key);
        }
    }

    private String randomNamespace() {
        return "ns-" + random.nextInt(NAMESPACES);
    }

    private String app() {
        return APPS[random.nextInt(APPS.length)];
    }

    private void put(String key, ObjectNode object) {
        objects.put(key, object);
        try {
            Path next = dir.resolve(key + ".json.next");
            Files.write(next, JSON.writeValueAsBytes(object));
            Files.move(next, dir.resolve(key + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void remove(String key) {
        objects.remove(key);
        try {
            Files.deleteIfExists(dir.resolve(key + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode json(String template, Object... values) {
        try {
            return (ObjectNode) JSON.readTree(template.formatted(values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
