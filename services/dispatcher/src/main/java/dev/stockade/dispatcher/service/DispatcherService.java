package dev.stockade.dispatcher.service;

import dev.stockade.dispatcher.AgentAuth;
import dev.stockade.dispatcher.DispatcherCore;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.PoolState;
import dev.stockade.kafka.KafkaClientProperties;
import dev.stockade.replication.ReplicatedCaches;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * The replica as a Quarkus bean: maps the typed configuration onto {@link DispatcherSettings}, starts
 * the pool's Infinispan member and the {@link DispatcherCore}; the WebSocket endpoint hands it
 * connections. Fails start-up when authentication is required and no token is configured.
 */
@Startup
@ApplicationScoped
public class DispatcherService {

    private static final Logger LOG = Logger.getLogger(DispatcherService.class.getName());

    private final AgentAuth auth;
    private final EmbeddedCacheManager member;
    private final DispatcherCore core;

    DispatcherService(DispatcherConfig config, Config raw, MeterRegistry registry) {
        this.auth = config.auth().required() ? AgentAuth.token(config.auth().token().orElse(null)) : AgentAuth.disabled();
        DispatcherSettings settings = settings(config, raw);
        this.member = ReplicatedCaches.start(config.jgroups().clusterName().orElse(settings.groupId()),
                settings.replicaId(), config.jgroups().stack(), PoolState.caches());
        this.core = DispatcherCore.start(settings, member, registry, Clock.systemUTC());
        LOG.info("dispatcher " + settings.replicaId() + " of pool " + settings.pool() + " started (" + auth + ")");
    }

    static DispatcherSettings settings(DispatcherConfig config, Config raw) {
        String replica = config.replicaId().orElseGet(() -> ReplicatedCaches.podName("POD_NAME", "dispatcher"));
        return new DispatcherSettings(config.pool(), replica, config.bootstrapServers(), config.topics().resources(),
                config.topics().rules(), config.topics().status(), config.topics().control(), config.ringSize(),
                config.maxInFlight(), config.resyncRetry(), config.pollTimeout(),
                KafkaClientProperties.withoutBootstrap(raw.getPropertyNames(), name -> raw.getOptionalValue(name, String.class)));
    }

    AgentAuth auth() {
        return auth;
    }

    DispatcherCore core() {
        return core;
    }

    @PreDestroy
    void stop() {
        core.close();
        member.stop();
    }
}
