package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.localkafka.LocalKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.Test;

/**
 * Three brokers (RF 3, min ISR 2): stopping the leader of the resources partition mid-stream loses
 * no event, and the compiler's published deltas still fold to a full compile of the final state.
 */
class BrokerLossTest {

    private static final Path CONFORMANCE = Path.of(System.getProperty("stockade.conformance.dir", "../../../shared/conformance"));

    @Test
    void losingOneOfThreeBrokersMidStreamLosesNoEvent() throws Exception {
        assumeTrue(Files.isDirectory(CONFORMANCE), "skipped: no conformance corpus at " + CONFORMANCE);
        System.setProperty("stockade.jgroups.port", "7930");
        try (LocalKafkaCluster kafka = LocalKafkaCluster.start()) {
            kafka.createTopic("stockade.resources", 1, true);
            kafka.createTopic("stockade.rules", 3, false);
            kafka.createTopic("stockade.status", 1, true);
            kafka.createTopic("stockade.deadletter", 1, false);
            kafka.createTopic("stockade.control", 1, false);
            EmbeddedCacheManager member = CacheManagers.start("broker-loss-" + System.nanoTime(), "a", "jgroups-loopback.xml");
            CompilerLoop compiler = PipelineHarness.replica(kafka.bootstrapServers(), "a",
                    member.getCache(CacheManagers.STATE_CACHE));
            Thread thread = new Thread(compiler, "compiler-a");
            thread.setDaemon(true);
            thread.start();
            try (PipelineHarness harness = new PipelineHarness(kafka.bootstrapServers())) {
                harness.feedCase(CONFORMANCE.resolve("up20-enforce-updated-policy"));
                List<NodeDelta> deltas = harness.drainRules(new ArrayList<>(), Duration.ofSeconds(2));
                int leader = kafka.leaderOf("stockade.resources", 0);
                kafka.stopBroker(leader);
                harness.feedCase(CONFORMANCE.resolve("up22-ingress-from-updated-pod"));
                harness.feedCase(CONFORMANCE.resolve("up35-egress-cidr-except"));
                harness.drainRules(deltas, Duration.ofSeconds(5));
                assertEquals(2, kafka.runningBrokers().size());
                DeltaFold fold = new DeltaFold();
                deltas.forEach(fold::apply);
                CompiledCluster full = Compiler.compile(harness.reference().state());
                Set<String> nodes = new TreeSet<>(full.ruleSets().keySet());
                nodes.addAll(fold.nonEmptyRuleSets().keySet());
                assertTrue(!nodes.isEmpty());
                for (String node : nodes) {
                    assertEquals(full.ruleSetFor(node), fold.ruleSet(node), "node " + node);
                }
            } finally {
                compiler.close();
                thread.join(5000);
                member.stop();
            }
        }
    }
}
