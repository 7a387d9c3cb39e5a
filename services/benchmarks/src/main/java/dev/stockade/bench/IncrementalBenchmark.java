package dev.stockade.bench;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.ApplyResult;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shape 4: single events on the loaded small-namespaces shape (100k pods, 75k policies), deltas
 * included. Each benchmark alternates an event and its inverse so the state stays the same size;
 * both halves are measured. Sample mode gives p50/p99 per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class IncrementalBenchmark {

    private static final int STEP = 500;

    private Engine engine;
    private int counter;

    @Setup(Level.Trial)
    public void load() {
        engine = new Engine();
        for (Resource resource : ScaleShapes.smallNamespaces(25_000)) {
            engine.apply(ResourceEvent.added(resource));
        }
    }

    /** A new pod in a namespace (then its deletion): joins the applied-to and address groups of np-1. */
    @Benchmark
    public ApplyResult podAdd() {
        int n = counter++;
        PodInfo pod = ScaleShapes.pod("ns-" + (n / 2 % 25_000), "extra", Map.of("app-1", "scale-1"), 200_000 + n / 2);
        return engine.apply(n % 2 == 0 ? ResourceEvent.added(pod) : ResourceEvent.deleted(pod));
    }

    /**
     * 500 new pods in 125 namespaces (four each, as the pipeline benchmark's pods arrive) applied as
     * one engine step, as the compiler applies a batch, then the same pods deleted as another; one
     * operation is one step of 500 events, deltas included (one per touched node).
     */
    @Benchmark
    public List<NodeDelta> podAddsInOneStep() {
        int n = counter++;
        Engine.Step step = engine.step();
        for (int i = 0; i < STEP; i++) {
            int namespace = (n / 2 * STEP / 4 + i / 4) % 25_000;
            PodInfo pod = ScaleShapes.pod("ns-" + namespace, "step-" + (i % 4), Map.of("app-1", "scale-1"),
                    300_000 + i);
            step.apply(n % 2 == 0 ? ResourceEvent.added(pod) : ResourceEvent.deleted(pod));
        }
        return step.finish();
    }

    /** The same 500 pods and deletions one event at a time, each with its own deltas. */
    @Benchmark
    public int podAddsOneByOne() {
        int n = counter++;
        int deltas = 0;
        for (int i = 0; i < STEP; i++) {
            int namespace = (n / 2 * STEP / 4 + i / 4) % 25_000;
            PodInfo pod = ScaleShapes.pod("ns-" + namespace, "step-" + (i % 4), Map.of("app-1", "scale-1"),
                    300_000 + i);
            deltas += engine.apply(n % 2 == 0 ? ResourceEvent.added(pod) : ResourceEvent.deleted(pod)).deltas().size();
        }
        return deltas;
    }

    /** pod1 of a namespace moves from app-1=scale-1 to app-2=scale-2 (then back): leaves np-1's groups, joins np-2's. */
    @Benchmark
    public ApplyResult podRelabel() {
        int n = counter++;
        int namespace = n / 2 % 25_000;
        int index = namespace * 4;
        Map<String, String> labels = n % 2 == 0 ? Map.of("app-2", "scale-2") : Map.of("app-1", "scale-1");
        return engine.apply(ResourceEvent.modified(ScaleShapes.pod("ns-" + namespace, "pod1", labels, index)));
    }

    /** A new policy np-3 (then its deletion) selecting app-1 pods with ingress from app-2 pods. */
    @Benchmark
    public ApplyResult policyAdd() {
        int n = counter++;
        var policy = ScaleShapes.policy("ns-" + (n / 2 % 25_000), "np-3", Map.of("app-1", "scale-1"),
                Map.of("app-2", "scale-2"));
        return engine.apply(n % 2 == 0 ? ResourceEvent.added(policy) : ResourceEvent.deleted(policy));
    }

}
