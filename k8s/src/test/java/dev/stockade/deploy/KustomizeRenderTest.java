package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What `kubectl apply -k` would send: each kustomization rendered by kustomize (kubectl's built-in
 * one, or a `kustomize` binary), parsed strictly, and cross-checked after suffixes, labels and
 * patches. Skipped, saying so, where neither binary exists; the raw manifests are still checked
 * by {@link CrossReferenceTest}.
 */
class KustomizeRenderTest {

    @Test
    void theFullInstallRendersParsesAndHasNoDanglingReference() {
        List<Manifests.Parsed> objects = render("k8s");
        assertEquals(List.of(), CrossReferenceTest.problems(objects));
    }

    @Test
    void theFullInstallHasOneDispatcherAndOneAgentDaemonSetPerPool() {
        CrossReferences.Unit u = new CrossReferences.Unit(render("k8s"));
        Map<String, String> dispatchers = new TreeMap<>();
        u.of(Deployment.class).stream().filter(d -> d.getMetadata().getName().startsWith("stockade-dispatcher"))
                .forEach(d -> dispatchers.put(d.getMetadata().getName(),
                        d.getSpec().getTemplate().getMetadata().getLabels().get(AddressReferences.POOL_LABEL)));
        assertEquals(Map.of("stockade-dispatcher-pool-a", "pool-a", "stockade-dispatcher-pool-b", "pool-b"), dispatchers);
        Map<String, String> agents = new TreeMap<>();
        u.of(DaemonSet.class).forEach(d -> agents.put(d.getMetadata().getName(),
                d.getSpec().getTemplate().getSpec().getNodeSelector().get(AddressReferences.POOL_LABEL)));
        assertEquals(Map.of("stockade-agent-pool-a", "pool-a", "stockade-agent-pool-b", "pool-b"), agents);
        for (Deployment d : u.of(Deployment.class)) {
            assertEquals(2, d.getSpec().getReplicas(), d.getMetadata().getName());
        }
    }

    @Test
    void eachPoolsConfigNamesItsOwnPool() {
        CrossReferences.Unit u = new CrossReferences.Unit(render("k8s"));
        for (String pool : List.of("pool-a", "pool-b")) {
            ConfigMap cm = u.configMaps.get("stockade/stockade-pool-" + pool);
            assertEquals(pool, cm.getData().get("STOCKADE_NODE_POOL"));
        }
    }

    @Test
    void theDevOverlayIsSmallAndSelfContained() {
        List<Manifests.Parsed> objects = render("k8s/overlays/dev");
        assertEquals(List.of(), CrossReferenceTest.problems(objects));
        CrossReferences.Unit u = new CrossReferences.Unit(objects);
        assertTrue(u.of(CertManager.Certificate.class).stream()
                .anyMatch(c -> c.getMetadata().getName().equals("stockade-dispatcher-tls")), "the agent stream's certificate");
        u.of(Deployment.class).forEach(d -> assertEquals(1, d.getSpec().getReplicas(), d.getMetadata().getName()));
    }

    @Test
    void eachPoolRendersOnItsOwnWithEveryNameSuffixed() {
        for (String pool : List.of("pool-a", "pool-b")) {
            List<Manifests.Parsed> objects = render("k8s/pools/" + pool);
            Set<String> names = objects.stream().map(p -> Manifests.name(p.model())).collect(Collectors.toSet());
            assertTrue(names.stream().allMatch(n -> n.endsWith("-" + pool)), names::toString);
        }
    }

    @Test
    void theMonitoringKustomizationCarriesTheDashboard() throws IOException {
        CrossReferences.Unit u = new CrossReferences.Unit(render("k8s/monitoring"));
        ConfigMap cm = u.configMaps.get("stockade/stockade-grafana-dashboard");
        assertEquals("1", cm.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(Files.readString(GrafanaDashboardTest.DASHBOARD), cm.getData().get("stockade.json"));
    }

    /** Renders a kustomization directory (relative to the repository root) and parses the output strictly. */
    static List<Manifests.Parsed> render(String dir) {
        List<String> command = kustomizeCommand().orElse(null);
        Assumptions.assumeTrue(command != null, "neither kubectl nor kustomize on PATH: rendered installs not checked");
        List<String> full = new ArrayList<>(command);
        full.add(Repo.root().resolve(dir).toString());
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kustomize timed out on " + dir);
            assertEquals(0, p.exitValue(), "kustomize failed on " + dir + ": " + err);
            return Manifests.parseAll(Manifests.docs(out, "rendered " + dir));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Optional<List<String>> kustomizeCommand() {
        if (onPath("kustomize")) {
            return Optional.of(List.of("kustomize", "build"));
        }
        if (onPath("kubectl")) {
            return Optional.of(List.of("kubectl", "kustomize"));
        }
        return Optional.empty();
    }

    static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, binary);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }
}
