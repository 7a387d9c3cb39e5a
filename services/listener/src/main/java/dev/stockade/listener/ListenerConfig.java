package dev.stockade.listener;

import dev.stockade.kafka.KafkaClientProperties;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The listener's configuration ({@code stockade.*}); Kafka client settings are the separate
 * {@code kafka.*} properties ({@link KafkaClientProperties}). Validated at start-up: a missing
 * required value or a bad duration stops the service with the property named.
 */
@ConfigMapping(prefix = "stockade")
public interface ListenerConfig {

    /** Where the cluster comes from. */
    Source source();

    /** Topic names (set in application.properties, nowhere else). */
    Topics topics();

    Publisher publisher();

    LeaderElection leaderElection();

    /** {@code kubernetes}: informers on the API server; {@code directory}: a folder of manifests (the demo). */
    enum Mode { KUBERNETES, DIRECTORY }

    interface Source {
        @WithDefault("kubernetes")
        Mode mode();

        /** The manifests directory; required in directory mode. */
        Optional<Path> directory();

        /** How often the directory is rescanned. */
        @WithDefault("500ms")
        Duration pollInterval();
    }

    interface Topics {
        /** The compacted resources topic. */
        String resources();
    }

    interface Publisher {
        /** How long the producer retries one send before it counts as failed (and is retried by us). */
        @WithDefault("120s")
        Duration deliveryTimeout();

        /** How often failed sends are repeated. */
        @WithDefault("5s")
        Duration retryInterval();

        /** How long a reconcile may take to read the topic to its end. */
        @WithDefault("60s")
        Duration reconcileReadTimeout();

        /** Liveness fails when sends have failed for this long without a success (a restart gets a new producer). */
        @WithDefault("10m")
        Duration failingLivenessLimit();

        /** Liveness fails when the worker has not completed a loop for this long. */
        @WithDefault("5m")
        Duration stuckLivenessLimit();
    }

    interface LeaderElection {
        /** Whether replicas elect a leader through a Lease (Kubernetes mode only; directory mode has one replica). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("stockade-listener-leader")
        String leaseName();

        /** The listener's own namespace (the downward API's {@code POD_NAMESPACE}). */
        @WithDefault("${POD_NAMESPACE:stockade}")
        String leaseNamespace();

        /** This replica's name in the Lease (the downward API's {@code POD_NAME}). */
        @WithDefault("${POD_NAME:${HOSTNAME:stockade-listener}}")
        String identity();

        @WithDefault("15s")
        Duration leaseDuration();

        @WithDefault("10s")
        Duration renewDeadline();

        @WithDefault("2s")
        Duration retryPeriod();
    }
}
