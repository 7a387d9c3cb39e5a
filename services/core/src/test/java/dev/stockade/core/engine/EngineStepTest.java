package dev.stockade.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.ResourceEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An open step owns the engine: events applied around it would be missing from its deltas. */
class EngineStepTest {

    private static ResourceEvent namespace(String name) {
        return ResourceEvent.added(new NamespaceInfo(name, Map.of(), Map.of()));
    }

    @Test
    void whileAStepIsOpenNoOtherEventOrStepIsTaken() {
        Engine engine = new Engine();
        Engine.Step step = engine.step();
        assertThrows(IllegalStateException.class, () -> engine.apply(namespace("a")));
        assertThrows(IllegalStateException.class, engine::step);
        step.apply(namespace("b"));
        step.finish();
        assertEquals(0, engine.apply(namespace("c")).rejections().size());
    }

    @Test
    void aFinishedStepTakesNoMoreEventsAndFinishesOnce() {
        Engine engine = new Engine();
        Engine.Step step = engine.step();
        step.finish();
        assertThrows(IllegalStateException.class, () -> step.apply(namespace("a")));
        assertThrows(IllegalStateException.class, step::finish);
    }

    @Test
    void anEngineThatFailedInsideAStepRefusesFurtherUse() {
        Engine engine = new Engine();
        Engine.Step step = engine.step();
        assertThrows(NullPointerException.class, () -> step.apply(null));
        assertThrows(IllegalStateException.class, engine::step);
        assertThrows(IllegalStateException.class, () -> engine.apply(namespace("a")));
    }
}
