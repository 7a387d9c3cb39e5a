package dev.stockade.bench;

import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.model.Resource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cold compile of Antrea's scale shapes: raw objects in (validation included), every policy,
 * applied-to group and address group with its span out. Antrea's reference is the time its
 * controller takes from informer start to the last computation for the same objects.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class FullCompileBenchmark {

    @Param({"small-namespaces", "large-namespaces", "one-namespace"})
    public String shape;

    private List<Resource> objects;

    @Setup(Level.Trial)
    public void build() {
        objects = ScaleShapes.shape(shape);
    }

    @Benchmark
    public CompiledCluster compileFromObjects() {
        return Compiler.compile(ClusterState.of(objects));
    }
}
