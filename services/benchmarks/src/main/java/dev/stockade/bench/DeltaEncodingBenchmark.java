package dev.stockade.bench;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RuleJsonWriter;
import dev.stockade.events.v1.WireJson;
import java.util.ArrayList;
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
 * Encoding the compiler's deltas as {@code stockade.rules} JSON: the databind path (core delta →
 * wire records → Jackson databind) against {@link RuleJsonWriter} (Jackson's generator straight from
 * the core delta; same bytes). The deltas are those of 100 new pods in 100 namespaces of the
 * small-namespaces shape (a pod's node gains its namespace's policies and groups; its peers' nodes
 * a member), as the pipeline benchmark sends them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class DeltaEncodingBenchmark {

    private List<NodeDelta> deltas;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        Engine engine = new Engine();
        for (Resource resource : ScaleShapes.smallNamespaces(1_000)) {
            engine.apply(ResourceEvent.added(resource));
        }
        deltas = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            deltas.addAll(engine.apply(ResourceEvent.added(ScaleShapes.pod("ns-" + i, "extra",
                    Map.of("app-1", "scale-1"), 10_000 + i))).deltas());
        }
    }

    @Benchmark
    public byte[] databind() {
        return WireJson.encode(RuleDeltaCodec.toWire(deltas.get(next++ % deltas.size()), 42));
    }

    @Benchmark
    public byte[] generator() {
        return RuleJsonWriter.delta(deltas.get(next++ % deltas.size()), 42);
    }
}
