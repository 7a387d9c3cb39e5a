package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each k8s/examples/ directory is a small cluster the demo can read: every pod has an IP and a
 * node, every node is in a pool that has an overlay, every namespaced object's namespace exists.
 */
class ExamplesTest {

    @TestFactory
    Stream<DynamicTest> everyExampleIsASelfContainedCluster() throws IOException {
        try (Stream<Path> dirs = Files.list(Repo.k8s().resolve("examples"))) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream()
                    .map(dir -> DynamicTest.dynamicTest(Repo.rel(dir), () -> check(dir)));
        }
    }

    private static void check(Path dir) throws IOException {
        List<Manifests.Parsed> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList()) {
                objects.addAll(Manifests.parseAll(Manifests.docs(f)));
            }
        }
        CrossReferences.Unit u = new CrossReferences.Unit(objects);
        Set<String> namespaces = u.of(Namespace.class).stream().map(n -> n.getMetadata().getName())
                .collect(Collectors.toSet());
        Set<String> nodes = u.of(Node.class).stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> pools = new TreeSet<>();
        try (Stream<Path> s = Files.list(Repo.k8s().resolve("pools"))) {
            s.forEach(p -> pools.add(p.getFileName().toString()));
        }
        List<String> problems = new ArrayList<>();
        for (Node n : u.of(Node.class)) {
            String pool = n.getMetadata().getLabels() == null ? null
                    : n.getMetadata().getLabels().get(AddressReferences.POOL_LABEL);
            if (!pools.contains(pool)) {
                problems.add("Node " + n.getMetadata().getName() + " is in pool " + pool + ", which has no k8s/pools/ overlay");
            }
        }
        for (Pod p : u.of(Pod.class)) {
            String id = "Pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            if (p.getStatus() == null || p.getStatus().getPodIP() == null) {
                problems.add(id + " has no status.podIP");
            }
            if (p.getSpec().getNodeName() == null || !nodes.contains(p.getSpec().getNodeName())) {
                problems.add(id + " runs on " + p.getSpec().getNodeName() + ", which is no Node of the example");
            }
        }
        for (Manifests.Parsed o : objects) {
            String ns = o.model() instanceof HasMetadata h ? h.getMetadata().getNamespace()
                    : o.doc().tree().path("metadata").path("namespace").asText(null);
            boolean namespaced = !(o.model() instanceof Namespace) && !(o.model() instanceof Node);
            if (namespaced && (ns == null || !namespaces.contains(ns))) {
                problems.add(o.doc().where() + ": namespace " + ns + " is not a Namespace of the example");
            }
        }
        assertTrue(!u.of(Pod.class).isEmpty(), "an example without pods");
        assertEquals(List.of(), problems);
    }
}
