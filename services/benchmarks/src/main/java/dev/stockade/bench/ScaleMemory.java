package dev.stockade.bench;

import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Memory of a cold compile, inputs included: builds a shape's objects, compiles them, and prints
 * the heap retained afterwards (after a full GC) and the peak heap the JVM used. Run it with a
 * fixed {@code -Xmx}: finishing under a cap proves the peak fits under it.
 *
 * <p>{@code java -Xmx768m -cp services/benchmarks/target/benchmarks.jar dev.stockade.bench.ScaleMemory small-namespaces [full|incremental]}
 */
public final class ScaleMemory {

    private ScaleMemory() {
    }

    public static void main(String[] args) {
        String shape = args.length > 0 ? args[0] : "small-namespaces";
        String path = args.length > 1 ? args[1] : "full";
        long before = retainedHeap();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        List<Resource> objects = ScaleShapes.shape(shape);
        long built = System.nanoTime();
        Object result;
        if (path.equals("incremental")) {
            Engine engine = new Engine();
            objects.forEach(object -> engine.apply(ResourceEvent.added(object)));
            result = engine;
        } else {
            CompiledCluster compiled = Compiler.compile(ClusterState.of(objects));
            result = compiled;
        }
        long compiled = System.nanoTime();
        long peak = peakHeap();
        long retained = retainedHeap();
        System.out.printf("shape=%s path=%s objects=%d build=%dms compile=%dms retainedMB=%d peakMB=%d maxHeapMB=%d%n",
                shape, path, objects.size(), (built - start) / 1_000_000, (compiled - built) / 1_000_000,
                (retained - before) >> 20, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        if (result.hashCode() == 42 && objects.isEmpty()) {
            System.out.println("keeps result reachable");
        }
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
