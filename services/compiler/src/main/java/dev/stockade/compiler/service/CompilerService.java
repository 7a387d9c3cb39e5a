package dev.stockade.compiler.service;

import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.kafka.KafkaClientProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.infinispan.manager.EmbeddedCacheManager;

/** Runs this replica's {@link CompilerLoop} on its own thread for the life of the application. */
@ApplicationScoped
public class CompilerService {

    private final CompilerConfig config;
    private final EmbeddedCacheManager cacheManager;
    private final MeterRegistry registry;
    private CompilerLoop loop;
    private Thread thread;

    CompilerService(CompilerConfig config, EmbeddedCacheManager cacheManager, MeterRegistry registry) {
        this.config = config;
        this.cacheManager = cacheManager;
        this.registry = registry;
    }

    void start(@Observes StartupEvent started) {
        CompilerSettings settings = new CompilerSettings(config.bootstrapServers(), config.topics().resources(),
                config.topics().rules(), config.topics().status(), config.topics().deadletter(), config.topics().control(),
                config.groupId(),
                config.transactionalId(), ReplicaName.of(config), config.maxBatch(), config.pollTimeout(),
                kafkaProperties());
        loop = new CompilerLoop(settings, cacheManager.getCache(CacheManagers.STATE_CACHE), registry, Clock.systemUTC());
        thread = new Thread(loop, "compiler-loop");
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (loop != null) {
            loop.close();
            thread.join(10_000);
        }
    }

    /**
     * Client properties: every {@code kafka.*} property / {@code KAFKA_*} variable (how the
     * deployment passes TLS and SASL settings), then {@code stockade.compiler.kafka.*} on top.
     */
    private Map<String, String> kafkaProperties() {
        Config all = ConfigProvider.getConfig();
        Map<String, String> properties = new TreeMap<>(
                KafkaClientProperties.withoutBootstrap(all.getPropertyNames(), name -> all.getOptionalValue(name, String.class)));
        properties.putAll(config.kafka());
        return properties;
    }

    /** What the replica is doing now. */
    public CompilerLoop.Role role() {
        return loop == null ? CompilerLoop.Role.STARTING : loop.role();
    }
}
