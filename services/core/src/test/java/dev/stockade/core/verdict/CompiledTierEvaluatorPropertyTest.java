package dev.stockade.core.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.engine.RandomClusters;
import dev.stockade.core.model.ResourceEvent;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The node rule sets carry ClusterNetworkPolicies faithfully: over random clusters with v1, 2016
 * and ClusterNetworkPolicies, every connection between scheduled pods with an address, judged from
 * the incremental engine's node rule sets alone (unscheduled pods have none and are left out) ({@link CompiledTierEvaluator}, as the dataplane
 * judges), gets the verdict and the walk of the reference {@link TierEvaluator}, which reads the
 * validated policies and the cluster state.
 */
class CompiledTierEvaluatorPropertyTest {

    private static final List<Probe> PROBES = List.of(Probe.of("80/TCP"), Probe.of("8080/TCP"), Probe.of("53/UDP"),
            Probe.of("9000/TCP"), Probe.of("9003/SCTP"));

    @Provide
    Arbitrary<List<ResourceEvent>> events() {
        return RandomClusters.populatedClusters();
    }

    @Property(tries = 200)
    void nodeRuleSetsJudgeEveryConnectionAsTheReferenceDoes(@ForAll("events") List<ResourceEvent> events) {
        Engine engine = new Engine();
        events.forEach(engine::apply);
        ClusterState state = engine.state();
        TierEvaluator reference = new TierEvaluator(state, state.clusterPolicies(),
                new VerdictEvaluator(Compiler.compile(state)::ruleSetFor));
        CompiledTierEvaluator compiled = new CompiledTierEvaluator(engine::ruleSet);
        List<Endpoint> endpoints = state.pods().values().stream().filter(pod -> pod.nodeName() != null)
                .map(Endpoint::of).flatMap(Optional::stream).sorted(java.util.Comparator.comparing(Endpoint::pod)).toList();
        Statistics.label("ClusterNetworkPolicies in force").collect(state.clusterPolicies().size());
        for (Endpoint from : endpoints) {
            for (Endpoint to : endpoints) {
                for (Probe probe : PROBES) {
                    TieredExplanation expected = reference.explain(from, to, probe);
                    TieredExplanation actual = compiled.explain(from, to, probe);
                    assertEquals(TierWalks.shape(expected), TierWalks.shape(actual),
                            () -> "reference:\n" + expected.text() + "node rule sets:\n" + actual.text());
                    Statistics.label("decided by").collect(expected.egress().decidedBy().getClass().getSimpleName(),
                            expected.ingress().decidedBy().getClass().getSimpleName());
                }
            }
        }
    }
}
