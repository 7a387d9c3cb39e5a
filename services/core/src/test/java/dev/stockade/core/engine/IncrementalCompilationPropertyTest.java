package dev.stockade.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.ResourceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Decision 2 of the design: incremental compilation is exact and deterministic.
 */
class IncrementalCompilationPropertyTest {

    @Provide
    Arbitrary<List<ResourceEvent>> events() {
        return RandomClusters.eventSequences();
    }

    @Property(tries = 300)
    void afterEveryEventTheFoldOfTheDeltasEqualsAFullCompileOfTheState(@ForAll("events") List<ResourceEvent> events) {
        Engine engine = new Engine();
        DeltaFold agents = new DeltaFold();
        for (int i = 0; i < events.size(); i++) {
            engine.apply(events.get(i)).deltas().forEach(agents::apply);
            CompiledCluster full = Compiler.compile(engine.state());
            Set<String> nodes = new TreeSet<>(full.ruleSets().keySet());
            nodes.addAll(agents.nonEmptyRuleSets().keySet());
            for (String node : nodes) {
                assertEquals(full.ruleSetFor(node), agents.ruleSet(node), "node " + node + " after event " + i);
                assertEquals(full.ruleSetFor(node), engine.ruleSet(node), "engine view of " + node + " after event " + i);
            }
        }
    }

    /**
     * Events applied in steps of arbitrary sizes (as the compiler applies a batch): after every step
     * the fold of its deltas equals a full compile, each node got at most one delta per step, none
     * empty, and generations still advance by one ({@link DeltaFold} refuses anything else).
     */
    @Property(tries = 300)
    void eventsAppliedInStepsFoldToAFullCompileWithOneDeltaPerNodeAndStep(
            @ForAll("events") List<ResourceEvent> events,
            @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 12) Integer> stepSizes) {
        Engine engine = new Engine();
        DeltaFold agents = new DeltaFold();
        int applied = 0;
        for (int step = 0; applied < events.size(); step++) {
            int size = step < stepSizes.size() ? stepSizes.get(step) : events.size() - applied;
            Engine.Step open = engine.step();
            for (ResourceEvent event : events.subList(applied, Math.min(events.size(), applied + size))) {
                open.apply(event);
            }
            applied = Math.min(events.size(), applied + size);
            Set<String> deltaNodes = new TreeSet<>();
            for (NodeDelta delta : open.finish()) {
                assertEquals(false, delta.isEmpty(), "empty delta for " + delta.node());
                assertEquals(true, deltaNodes.add(delta.node()), "two deltas for " + delta.node() + " in one step");
                agents.apply(delta);
            }
            CompiledCluster full = Compiler.compile(engine.state());
            Set<String> nodes = new TreeSet<>(full.ruleSets().keySet());
            nodes.addAll(agents.nonEmptyRuleSets().keySet());
            for (String node : nodes) {
                assertEquals(full.ruleSetFor(node), agents.ruleSet(node), "node " + node + " after step " + step
                        + " (" + applied + " events)");
            }
        }
    }

    /**
     * Local pods against an oracle independent of both compilers: after every event (and in steps),
     * each node's folded list is exactly the state's pods bound to it that have an IP, whether a
     * policy selects them or not; pods that move, lose or change their IPs, or go with their
     * namespace leave the old entry. The statistics show that the sequences exercise every kind of
     * local-pod patch.
     */
    @Property(tries = 300)
    void everyNodeListsExactlyItsPodsWithAnAddress(@ForAll("events") List<ResourceEvent> events,
                                                   @ForAll @IntRange(min = 1, max = 8) int stepSize) {
        Engine engine = new Engine();
        DeltaFold agents = new DeltaFold();
        for (int applied = 0; applied < events.size(); applied += stepSize) {
            Engine.Step step = engine.step();
            events.subList(applied, Math.min(events.size(), applied + stepSize)).forEach(step::apply);
            for (NodeDelta delta : step.finish()) {
                agents.apply(delta);
                Statistics.label("local-pod patches").collect(!delta.localPods().added().isEmpty(),
                        !delta.localPods().removed().isEmpty());
            }
            TreeMap<String, SortedMap<String, LocalPod>> expected = new TreeMap<>();
            for (PodInfo pod : engine.state().pods().values()) {
                if (pod.nodeName() != null && !pod.ips().isEmpty()) {
                    expected.computeIfAbsent(pod.nodeName(), node -> new TreeMap<>())
                            .put(pod.key(), new LocalPod(pod.key(), pod.ips()));
                }
            }
            Set<String> nodes = new TreeSet<>(expected.keySet());
            nodes.addAll(agents.nonEmptyRuleSets().keySet());
            for (String node : nodes) {
                assertEquals(expected.getOrDefault(node, new TreeMap<>()), agents.ruleSet(node).localPods(),
                        "local pods of " + node + " after " + Math.min(events.size(), applied + stepSize) + " events");
            }
            assertEquals(expected.keySet(), new TreeSet<>(Compiler.compile(engine.state()).localPods().keySet()));
        }
    }

    @Property(tries = 200)
    void theSameEventSequenceGivesIdenticalDeltas(@ForAll("events") List<ResourceEvent> events) {
        assertEquals(deltas(events).toString(), deltas(events).toString());
    }

    @Property(tries = 200)
    void noDeltaIsEmptyAndGenerationsAdvanceByOne(@ForAll("events") List<ResourceEvent> events) {
        Engine engine = new Engine();
        DeltaFold agents = new DeltaFold();
        for (ResourceEvent event : events) {
            for (NodeDelta delta : engine.apply(event).deltas()) {
                assertEquals(false, delta.isEmpty(), "empty delta for " + delta.node());
                agents.apply(delta);
                assertEquals(engine.generation(delta.node()), agents.generation(delta.node()));
            }
        }
    }

    private static List<NodeDelta> deltas(List<ResourceEvent> events) {
        Engine engine = new Engine();
        List<NodeDelta> all = new ArrayList<>();
        events.forEach(event -> all.addAll(engine.apply(event).deltas()));
        return all;
    }
}
