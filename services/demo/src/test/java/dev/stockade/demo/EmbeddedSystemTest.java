package dev.stockade.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.kube.ClusterLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded system on the tenant-a example: what the follower folds from the compiler's
 * committed deltas, and what every agent (behind a dispatcher per pool) applied, equal the CLI's
 * compile of the same directory, and editing a manifest flows through as events.
 */
class EmbeddedSystemTest {

    private static final Path TENANT_A = Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a");

    @Test
    void theFoldOfCommittedDeltasEqualsTheCompileAndFollowsEdits(@TempDir Path cluster) throws Exception {
        System.setProperty("stockade.jgroups.port", "7970");
        try (Stream<Path> files = Files.list(TENANT_A)) {
            for (Path file : files.toList()) {
                Files.copy(file, cluster.resolve(file.getFileName()));
            }
        }
        List<NodeDelta> seen = Collections.synchronizedList(new ArrayList<>());
        try (EmbeddedSystem system = EmbeddedSystem.start(cluster, seen::add)) {
            assertTrue(system.awaitConverged(Duration.ofSeconds(60), Duration.ofMillis(500)), "converged");
            SortedMap<String, NodeRuleSet> compiled = compile(cluster);
            assertEquals(compiled, system.ruleSets());
            compiled.forEach((node, ruleSet) -> assertEquals(ruleSet, system.agentRuleSet(node), "agent of " + node));
            assertEquals(java.util.List.of("pool-a", "pool-b"), java.util.List.copyOf(system.dispatchers().keySet()));
            assertTrue(seen.size() >= 3, "deltas for the three nodes were seen as they arrived");

            Files.delete(cluster.resolve("30-pol1.yaml"));
            assertTrue(system.awaitConverged(Duration.ofSeconds(60), Duration.ofMillis(800)), "converged after the edit");
            SortedMap<String, NodeRuleSet> after = system.ruleSets();
            assertEquals(compile(cluster), after);
            after.forEach((node, ruleSet) -> assertEquals(ruleSet, system.agentRuleSet(node), "agent of " + node));
            assertTrue(after.values().stream().flatMap(r -> r.policies().values().stream())
                    .noneMatch(p -> p.ref().name().equals("pol1")), "pol1 is gone everywhere");
        }
    }

    private static SortedMap<String, NodeRuleSet> compile(Path manifests) {
        return new ClusterLoader(warning -> { }).load(manifests, null).agents().nonEmptyRuleSets();
    }
}
