package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every manifest under k8s/ binds to its fabric8 or Strimzi model with no unknown field. */
class ManifestsParseStrictlyTest {

    /** The kustomizations users and Tilt apply; every other manifest file must be reachable from one. */
    static final List<String> ROOTS = List.of("k8s", "k8s/overlays/dev", "k8s/monitoring");

    @TestFactory
    Stream<DynamicTest> everyManifestFileParsesStrictlyAgainstItsModel() {
        return Manifests.allManifestFiles().stream().map(file -> DynamicTest.dynamicTest(Repo.rel(file), () -> {
            List<Manifests.Doc> docs = Manifests.docs(file);
            assertTrue(!docs.isEmpty(), "no document in " + Repo.rel(file));
            docs.forEach(Manifests::parse);
        }));
    }

    @Test
    void aMisspelledDeploymentFieldIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 2
                """));
        assertTrue(e.getMessage().contains("replica"), e.getMessage());
    }

    @Test
    void aFieldDeepInAPodTemplateIsCheckedToo() {
        var e = assertThrows(IllegalArgumentException.class, () -> parse("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                      - name: c
                        securityContext:
                          capabilities: {drop: [ALL], adds: [NET_ADMIN]}
                """));
        assertTrue(e.getMessage().contains("adds"), e.getMessage());
    }

    @Test
    void aMisspelledStrimziFieldIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> parse("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: x}
                spec:
                  partition: 1
                """));
        assertTrue(e.getMessage().contains("partition"), e.getMessage());
    }

    @Test
    void anUnknownKindIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> parse("""
                apiVersion: apps/v1beta1
                kind: Deployment
                metadata: {name: x}
                """));
        assertTrue(e.getMessage().contains("unknown apiVersion/kind"), e.getMessage());
    }

    @Test
    void aStringWhereTheApiWantsAnIntegerIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: "2"
                """));
    }

    @Test
    void aDuplicateKeyIsRejected() {
        assertThrows(RuntimeException.class, () -> parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                data: {a: "1", a: "2"}
                """));
    }

    @Test
    void everyManifestOutsideTheExamplesIsReachableFromAnAppliedKustomization() {
        Set<Path> reachable = new HashSet<>();
        for (String root : ROOTS) {
            Manifests.Inputs in = Manifests.inputs(Repo.root().resolve(root));
            reachable.addAll(in.resources());
            reachable.addAll(in.patches());
            reachable.addAll(in.kustomizations());
        }
        List<String> orphans = new ArrayList<>();
        for (Path file : Manifests.allManifestFiles()) {
            boolean example = Repo.k8s().relativize(file).startsWith("examples");
            if (!example && !reachable.contains(file.toAbsolutePath().normalize())) {
                orphans.add(Repo.rel(file));
            }
        }
        assertEquals(List.of(), orphans, "manifests no kustomization applies (dead files, or a missing resources: line)");
    }

    @Test
    void everyFileAKustomizationNamesExists() {
        List<String> missing = new ArrayList<>();
        for (String root : ROOTS) {
            Manifests.Inputs in = Manifests.inputs(Repo.root().resolve(root));
            Stream.of(in.resources(), in.patches(), in.generated(), in.kustomizations()).flatMap(Set::stream)
                    .filter(p -> !Files.isRegularFile(p)).forEach(p -> missing.add(Repo.rel(p)));
        }
        assertEquals(List.of(), missing);
    }

    private static void parse(String yaml) {
        Manifests.docs(yaml, "inline").forEach(Manifests::parse);
    }
}
