package dev.stockade.compiler.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The compiler service's typed configuration ({@code stockade.compiler.*}), validated at start-up. */
@ConfigMapping(prefix = "stockade.compiler")
public interface CompilerConfig {

    /** Kafka bootstrap servers. */
    String bootstrapServers();

    Topics topics();

    /** Consumer group of the replicas; the single partition of the resources topic makes one active. */
    @WithDefault("stockade-compiler")
    String groupId();

    /** Transactional id shared by the replicas, so a new active fences the previous one. */
    @WithDefault("stockade-compiler")
    String transactionalId();

    /** This replica's name; defaults to the host (pod) name. */
    Optional<String> replicaId();

    @WithDefault("500")
    int maxBatch();

    @WithDefault("100ms")
    Duration pollTimeout();

    /** Extra Kafka client properties (security.protocol, sasl.*, ssl.*, timeouts); never logged. */
    Map<String, String> kafka();

    Jgroups jgroups();

    /** Topic names. */
    interface Topics {
        @WithDefault("stockade.resources")
        String resources();

        @WithDefault("stockade.rules")
        String rules();

        @WithDefault("stockade.status")
        String status();

        @WithDefault("stockade.deadletter")
        String deadletter();

        @WithDefault("stockade.control")
        String control();
    }

    /** The replicated state's cluster. */
    interface Jgroups {
        /** Stack file on the classpath: jgroups-kubernetes.xml (DNS_PING) or jgroups-loopback.xml. */
        @WithDefault("jgroups-kubernetes.xml")
        String stack();

        @WithDefault("stockade-compiler")
        String clusterName();
    }
}
