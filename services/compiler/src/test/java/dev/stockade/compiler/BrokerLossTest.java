package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.localkafka.LocalKafkaCluster;
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
 * Fed with the project's own cases, plus the upstream ones when {@code ../shared/conformance} is there.
 */
class BrokerLossTest {

    @Test
    void losingOneOfThreeBrokersMidStreamLosesNoEvent() throws Exception {
        List<NetpolCases.Case> before = NetpolCases.ownThenUpstream(List.of("np10-update-relabel-delete"),
                List.of("up20-enforce-updated-policy"));
        List<NetpolCases.Case> after = NetpolCases.ownThenUpstream(
                List.of("np05-pod-and-namespace-selector-peers", "np09-ipblock-except"),
                List.of("up22-ingress-from-updated-pod", "up35-egress-cidr-except"));
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
                for (NetpolCases.Case fed : before) {
                    harness.feedCase(fed.dir());
                }
                List<NodeDelta> deltas = harness.drainRules(new ArrayList<>(), Duration.ofSeconds(2));
                int leader = kafka.leaderOf("stockade.resources", 0);
                kafka.stopBroker(leader);
                for (NetpolCases.Case fed : after) {
                    harness.feedCase(fed.dir());
                }
                harness.drainRules(deltas, Duration.ofSeconds(5));
                assertEquals(2, kafka.runningBrokers().size());
                DeltaFold fold = new DeltaFold();
                deltas.forEach(fold::apply);
                CompiledCluster full = Compiler.compile(harness.reference().state());
                Set<String> nodes = new TreeSet<>(full.ruleSets().keySet());
                nodes.addAll(fold.nonEmptyRuleSets().keySet());
                assertTrue(!nodes.isEmpty());
                for (String node : nodes) {
                    assertEquals(full.ruleSetFor(node), fold.ruleSet(node), "node " + node + " after " + before + after);
                }
            } finally {
                compiler.close();
                thread.join(5000);
                member.stop();
            }
        }
    }
}
