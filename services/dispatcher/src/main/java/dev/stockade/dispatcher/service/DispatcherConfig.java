package dev.stockade.dispatcher.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The dispatcher service's typed configuration ({@code stockade.dispatcher.*}), validated at start-up.
 * Kafka client settings other than the bootstrap servers (TLS, SASL) are {@code kafka.*} /
 * {@code KAFKA_*} entries, passed to the clients as they are ({@code KafkaClientProperties.withoutBootstrap}).
 */
@ConfigMapping(prefix = "stockade.dispatcher")
public interface DispatcherConfig {

    /** The node pool served: the value of the nodes' {@code stockade.dev/pool} label ({@code default} = unlabelled). */
    String pool();

    /** This replica's name; defaults to the host (pod) name. */
    Optional<String> replicaId();

    /** Kafka bootstrap servers. */
    String bootstrapServers();

    Topics topics();

    Auth auth();

    /**
     * Allow the agent stream without TLS (plain {@code ws://}). False by default: unless the HTTP server
     * serves TLS only ({@code quarkus.http.tls-configuration-name} set and {@code quarkus.http.insecure-requests=disabled},
     * as application.properties has it), the service refuses to start. True logs a warning at start.
     */
    @WithDefault("false")
    boolean allowPlaintext();

    /** The agent stream's certificate (read by the Quarkus TLS registry through application.properties). */
    Tls tls();

    /** PEM files of the agent stream's certificate (cert-manager's Secret {@code stockade-dispatcher-tls}). */
    interface Tls {
        /** Certificate chain (env {@code STOCKADE_DISPATCHER_TLS_CERT}). */
        @WithDefault("/etc/stockade/tls/tls.crt")
        String cert();

        /** Private key (env {@code STOCKADE_DISPATCHER_TLS_KEY}). */
        @WithDefault("/etc/stockade/tls/tls.key")
        String key();
    }

    Jgroups jgroups();

    /** Deltas kept per node for resuming agents; an agent further behind gets a snapshot. */
    @WithDefault("64")
    int ringSize();

    /** Unflushed frames per agent at most. */
    @WithDefault("8")
    int maxInFlight();

    @WithDefault("5s")
    Duration resyncRetry();

    @WithDefault("50ms")
    Duration pollTimeout();

    /** Topic names. */
    interface Topics {
        @WithDefault("stockade.resources")
        String resources();

        @WithDefault("stockade.rules")
        String rules();

        @WithDefault("stockade.status")
        String status();

        @WithDefault("stockade.control")
        String control();
    }

    /** Agent authentication on the WebSocket upgrade: each agent proves the one node it may ask for. */
    interface Auth {
        /**
         * {@code token-review} (the default): the agent's projected ServiceAccount token, verified with a
         * TokenReview and bound to its pod's node; {@code node-tokens}: a fixed token per node from
         * {@link #nodeTokens()} (clusters without TokenReview access, tests).
         */
        @WithDefault("token-review")
        String mode();

        /** The audience of the agents' projected tokens. */
        @WithDefault("stockade-dispatcher")
        String audience();

        /** The agents' namespace (env {@code POD_NAMESPACE}: the dispatcher's own). */
        @WithDefault("stockade")
        String namespace();

        /** The agents' ServiceAccount. */
        @WithDefault("stockade-agent")
        String serviceAccount();

        /** How long a reviewed token is trusted before it is reviewed again. */
        @WithDefault("30s")
        Duration cacheTtl();

        /** For {@code node-tokens}: node → its token; never logged. */
        Map<String, String> nodeTokens();
    }

    /** The pool's replicated state: one Infinispan cluster per pool. */
    interface Jgroups {
        /** Stack file on the classpath: jgroups-kubernetes.xml (DNS_PING) or jgroups-loopback.xml. */
        @WithDefault("jgroups-kubernetes.xml")
        String stack();

        /** Defaults to {@code stockade-dispatcher-<pool>}. */
        Optional<String> clusterName();
    }
}
