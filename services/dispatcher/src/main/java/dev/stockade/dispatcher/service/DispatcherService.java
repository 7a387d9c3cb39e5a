package dev.stockade.dispatcher.service;

import dev.stockade.dispatcher.AgentAuthenticator;
import dev.stockade.dispatcher.DispatcherCore;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.NodeTokens;
import dev.stockade.dispatcher.PoolState;
import dev.stockade.dispatcher.TokenReviewAuthenticator;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.stockade.kafka.KafkaClientProperties;
import dev.stockade.replication.ReplicatedCaches;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * The replica as a Quarkus bean: maps the typed configuration onto {@link DispatcherSettings}, starts
 * the pool's Infinispan member and the {@link DispatcherCore}; the WebSocket endpoint hands it
 * connections. Refuses to start when the agent stream would be plain {@code ws://} without
 * {@code allow-plaintext}, or when the agent authentication mode is unknown or has nothing to check with.
 */
@Startup
@ApplicationScoped
public class DispatcherService {

    private static final Logger LOG = Logger.getLogger(DispatcherService.class.getName());

    private final AgentAuthenticator authenticator;
    private final ExecutorService reviews;
    private final EmbeddedCacheManager member;
    private final DispatcherCore core;

    DispatcherService(DispatcherConfig config, Config raw, MeterRegistry registry, Instance<KubernetesClient> kubernetes) {
        String stream = streamSecurity(config.allowPlaintext(), raw.getOptionalValue("quarkus.http.tls-configuration-name",
                String.class), raw.getOptionalValue("quarkus.http.insecure-requests", String.class));
        this.reviews = Executors.newFixedThreadPool(2, DispatcherServiceThreads.daemon("dispatcher-token-review"));
        this.authenticator = authenticator(config.auth(), kubernetes, reviews);
        DispatcherSettings settings = settings(config, raw);
        this.member = ReplicatedCaches.start(config.jgroups().clusterName().orElse(settings.groupId()),
                settings.replicaId(), config.jgroups().stack(), PoolState.caches());
        this.core = DispatcherCore.start(settings, member, registry, Clock.systemUTC());
        LOG.info("dispatcher " + settings.replicaId() + " of pool " + settings.pool() + " started (agent stream "
                + stream + ", agents proven by " + authenticator + ")");
    }

    /**
     * "TLS" when the HTTP server (which carries the agent stream) serves TLS only; "plain ws://" with a
     * warning when it does not and that was allowed; otherwise IllegalStateException: the service does not start.
     */
    static String streamSecurity(boolean allowPlaintext, Optional<String> tlsConfiguration, Optional<String> insecureRequests) {
        boolean tlsOnly = tlsConfiguration.filter(name -> !name.isBlank()).isPresent()
                && insecureRequests.map(value -> value.equalsIgnoreCase("disabled")).orElse(false);
        if (tlsOnly) {
            return "TLS";
        }
        if (!allowPlaintext) {
            throw new IllegalStateException("the agent stream would accept plain ws://: serve it with TLS"
                    + " (quarkus.http.tls-configuration-name and quarkus.http.insecure-requests=disabled, as in"
                    + " application.properties, with the certificate at STOCKADE_DISPATCHER_TLS_CERT/_KEY), or allow plain"
                    + " text explicitly with stockade.dispatcher.allow-plaintext=true");
        }
        LOG.warning("stockade.dispatcher.allow-plaintext=true: the agent stream accepts plain ws://; rule sets and agent"
                + " credentials cross the network unencrypted");
        return "plain ws:// (allowed explicitly)";
    }

    static AgentAuthenticator authenticator(DispatcherConfig.Auth auth, Instance<KubernetesClient> kubernetes,
                                            ExecutorService executor) {
        return switch (auth.mode()) {
            case "token-review" -> new TokenReviewAuthenticator(kubernetes.get(), new TokenReviewAuthenticator.Settings(
                    auth.audience(), auth.namespace(), auth.serviceAccount(), auth.cacheTtl()), executor, Clock.systemUTC());
            case "node-tokens" -> {
                if (auth.nodeTokens().isEmpty()) {
                    throw new IllegalStateException("stockade.dispatcher.auth.mode=node-tokens but no"
                            + " stockade.dispatcher.auth.node-tokens.<node> is set");
                }
                yield NodeTokens.of(auth.nodeTokens());
            }
            default -> throw new IllegalStateException("stockade.dispatcher.auth.mode must be token-review or node-tokens,"
                    + " not " + auth.mode());
        };
    }

    static DispatcherSettings settings(DispatcherConfig config, Config raw) {
        String replica = config.replicaId().orElseGet(() -> ReplicatedCaches.podName("POD_NAME", "dispatcher"));
        return new DispatcherSettings(config.pool(), replica, config.bootstrapServers(), config.topics().resources(),
                config.topics().rules(), config.topics().status(), config.topics().control(), config.ringSize(),
                config.maxInFlight(), config.resyncRetry(), config.pollTimeout(),
                KafkaClientProperties.withoutBootstrap(raw.getPropertyNames(), name -> raw.getOptionalValue(name, String.class)));
    }

    AgentAuthenticator authenticator() {
        return authenticator;
    }

    DispatcherCore core() {
        return core;
    }

    @PreDestroy
    void stop() {
        core.close();
        member.stop();
        reviews.shutdownNow();
    }
}
