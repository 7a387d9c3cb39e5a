package dev.stockade.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A replica that rebuilds from the objects in force and the generations continues exactly where the active left off. */
class RestoreTest {

    @Provide
    Arbitrary<List<ResourceEvent>> events() {
        return RandomClusters.eventSequences();
    }

    @Property(tries = 200)
    void aRestoredEngineEmitsTheSameDeltasAsTheOneItReplaces(@ForAll("events") List<ResourceEvent> before,
                                                             @ForAll("events") List<ResourceEvent> after) {
        Engine active = new Engine();
        before.forEach(active::apply);
        List<Resource> inForce = new ArrayList<>();
        inForce.addAll(active.state().namespaces().values());
        inForce.addAll(active.state().pods().values());
        inForce.addAll(active.state().policyObjects());
        Engine standby = Engine.restore(inForce, active.generations());
        for (ResourceEvent event : after) {
            List<NodeDelta> expected = active.apply(event).deltas();
            assertEquals(expected, standby.apply(event).deltas(), "after " + event);
        }
    }
}
