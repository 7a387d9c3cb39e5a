package dev.stockade.e2e;

import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.listener.InformerSource;
import dev.stockade.listener.Leadership;
import dev.stockade.listener.Listener;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * The control plane the end-to-end tests put in front of their dispatchers and agents: fabric8's
 * mock API server (CRUD mode) → listener → a real KRaft broker with Stockade's topics → one compiler
 * replica (its own Infinispan member; the caller sets the JGroups port block first). Closed in the
 * reverse order; a start that fails closes what it had started.
 */
final class ControlPlane implements AutoCloseable {

    private LocalKafka kafka;
    private MockCluster cluster;
    private EmbeddedCacheManager compilerMember;
    private CompilerLoop compiler;
    private Listener listener;

    private ControlPlane() {
    }

    /** Starts it all; {@code name} prefixes the Infinispan cluster and the listener's client id. */
    static ControlPlane start(String name, int rulesPartitions) throws Exception {
        ControlPlane plane = new ControlPlane();
        try {
            plane.kafka = LocalKafka.start();
            for (String topic : List.of("stockade.resources", "stockade.status", "stockade.control", "stockade.deadletter")) {
                plane.kafka.createTopic(topic, 1, topic.equals("stockade.resources") || topic.equals("stockade.status"));
            }
            plane.kafka.createTopic("stockade.rules", rulesPartitions, false);
            plane.cluster = new MockCluster();
            plane.compilerMember = CacheManagers.start(name + "-" + System.nanoTime() + "-compiler", "compiler",
                    "jgroups-loopback.xml");
            plane.compiler = new CompilerLoop(CompilerSettings.defaults(plane.kafka.bootstrapServers(), "compiler"),
                    plane.compilerMember.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
            Thread thread = new Thread(plane.compiler, "compiler");
            thread.setDaemon(true);
            thread.start();
            plane.listener = Listener.start(new InformerSource(plane.cluster.newClient()), Leadership.sole(),
                    new Listener.Settings("stockade.resources", Map.of("bootstrap.servers", plane.kafka.bootstrapServers()),
                            name + "-listener", Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30)),
                    new SimpleMeterRegistry());
            return plane;
        } catch (Exception | Error e) {
            plane.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The API server the listener watches. */
    MockCluster cluster() {
        return cluster;
    }

    @Override
    public void close() throws InterruptedException {
        if (listener != null) {
            listener.close();
        }
        if (compiler != null) {
            compiler.close();
            Thread.sleep(300);
        }
        if (compilerMember != null) {
            compilerMember.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
