package dev.stockade.dispatcher.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

    /** Agent authentication on the WebSocket upgrade. */
    interface Auth {
        /** When true (the default) a token must be configured and every agent must present it. */
        @WithDefault("true")
        boolean required();

        /** The shared bearer token (Secret {@code stockade-agent-token}); never logged. */
        Optional<String> token();
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
