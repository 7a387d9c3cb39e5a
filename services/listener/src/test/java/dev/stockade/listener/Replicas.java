package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Listener replicas against a test broker, each with its own meter registry. */
final class Replicas {

    /** A started listener and its meters. */
    record Replica(Listener listener, SimpleMeterRegistry registry) implements AutoCloseable {
        ListenerPipeline pipeline() {
            return listener.pipeline();
        }

        double published() {
            return registry.find("stockade.listener.events.published").counters().stream()
                    .mapToDouble(c -> c.count()).sum();
        }

        double reconcileChanges(String op) {
            return registry.get("stockade.listener.reconcile.changes").tag("op", op).counter().count();
        }

        @Override
        public void close() {
            listener.close();
        }
    }

    private Replicas() {
    }

    static Replica start(ClusterSource source, Leadership leadership, String bootstrap, String topic, String name) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Listener.Settings settings = new Listener.Settings(topic, Map.of("bootstrap.servers", bootstrap), name,
                Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(10));
        return new Replica(Listener.start(source, leadership, settings, registry), registry);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
