package dev.stockade.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.model.ResourceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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
