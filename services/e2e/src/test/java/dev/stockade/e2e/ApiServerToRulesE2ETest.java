package dev.stockade.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.listener.InformerSource;
import dev.stockade.listener.Leadership;
import dev.stockade.listener.Listener;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's end-to-end path with real components except the API server: conformance cases are
 * written into fabric8's mock API server (CRUD mode), a listener watches it and publishes to a
 * real KRaft broker, two compiler replicas (one active, a 2-member Infinispan cluster on loopback)
 * compile, and the per-node deltas they publish, folded, must equal the compile of the same
 * objects for every node. The cases are some of the project's own, plus the upstream ones of
 * {@code ../shared/conformance} when it is there ({@link NetpolCases}).
 */
class ApiServerToRulesE2ETest {

    private static final List<String> OWN_CASES = List.of("np01-default-deny-ingress",
            "np05-pod-and-namespace-selector-peers", "np10-update-relabel-delete", "np13-stacked-policies-are-additive",
            "np09-ipblock-except");
    private static final List<String> UPSTREAM_CASES = List.of("up01-default-deny-ingress", "up09-podselector-or-nsselector",
            "up20-enforce-updated-policy", "up21-ingress-from-updated-namespace", "up33-stop-enforcing-after-delete",
            "up35-egress-cidr-except");

    @Test
    void conformanceCasesFromTheApiServerFoldToTheCompileOfEveryNode() throws Exception {
        List<NetpolCases.Case> cases = NetpolCases.ownThenUpstream(OWN_CASES, UPSTREAM_CASES);
        System.setProperty("stockade.jgroups.port", "7950");
        Engine reference = new Engine();
        KubeObjectConverter converter = new KubeObjectConverter();
        try (LocalKafka kafka = LocalKafka.start(); MockCluster cluster = new MockCluster()) {
            for (String topic : List.of("stockade.resources", "stockade.status", "stockade.control")) {
                kafka.createTopic(topic, 1, !topic.equals("stockade.control"));
            }
            kafka.createTopic("stockade.rules", 3, false);
            kafka.createTopic("stockade.deadletter", 1, false);
            String clusterName = "e2e-" + System.nanoTime();
            EmbeddedCacheManager memberA = CacheManagers.start(clusterName, "a", "jgroups-loopback.xml");
            EmbeddedCacheManager memberB = CacheManagers.start(clusterName, "b", "jgroups-loopback.xml");
            List<CompilerLoop> compilers = List.of(compiler(kafka, "a", memberA), compiler(kafka, "b", memberB));
            Listener listener = Listener.start(new InformerSource(cluster.newClient()), Leadership.sole(),
                    new Listener.Settings("stockade.resources", Map.of("bootstrap.servers", kafka.bootstrapServers()),
                            "e2e-listener", Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30)),
                    new SimpleMeterRegistry());
            try (RulesTail rules = new RulesTail(kafka.bootstrapServers())) {
                for (NetpolCases.Case next : cases) {
                    for (JsonNode object : ConformanceEvents.of(next.dir())) {
                        cluster.apply(object);
                        converter.convert(object.path("object")).resource().ifPresent(resource -> reference.apply(
                                new ResourceEvent(dev.stockade.core.model.EventType.valueOf(object.path("type").asText()),
                                        resource)));
                    }
                }
                List<NodeDelta> deltas = rules.drain(Duration.ofSeconds(4));
                DeltaFold fold = new DeltaFold();
                deltas.forEach(fold::apply);
                CompiledCluster compiled = Compiler.compile(reference.state());
                Set<String> nodes = new TreeSet<>(compiled.ruleSets().keySet());
                nodes.addAll(fold.nonEmptyRuleSets().keySet());
                assertTrue(nodes.size() >= 3, "rules for the model's three nodes: " + nodes);
                for (String node : nodes) {
                    assertEquals(compiled.ruleSetFor(node), fold.ruleSet(node), "node " + node + " after " + cases);
                }
            } finally {
                listener.close();
                compilers.forEach(CompilerLoop::close);
                Thread.sleep(500);
                memberB.stop();
                memberA.stop();
            }
        }
    }

    private static CompilerLoop compiler(LocalKafka kafka, String name, EmbeddedCacheManager member) {
        CompilerLoop loop = new CompilerLoop(CompilerSettings.defaults(kafka.bootstrapServers(), name),
                member.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
        Thread thread = new Thread(loop, "compiler-" + name);
        thread.setDaemon(true);
        thread.start();
        return loop;
    }
}
