package dev.stockade.listener;

import dev.stockade.kafka.KafkaClientProperties;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Quarkus adapter: builds a {@link Listener} from {@link ListenerConfig} at start-up and
 * closes it at shutdown. Kubernetes mode uses the injected fabric8 client for the informers and
 * (when enabled) Lease leader election; directory mode needs no API server and leads alone.
 */
@ApplicationScoped
public class ListenerLifecycle {

    @Inject
    ListenerConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Instance<KubernetesClient> kubernetes;

    private volatile Listener listener;

    void onStart(@Observes StartupEvent event) {
        listener = Listener.start(source(), leadership(), settings(), registry);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (listener != null) {
            listener.close();
        }
    }

    /** The running pipeline; empty before start-up completed. */
    public Optional<ListenerPipeline> pipeline() {
        return Optional.ofNullable(listener).map(Listener::pipeline);
    }

    ListenerConfig config() {
        return config;
    }

    private ClusterSource source() {
        if (config.source().mode() == ListenerConfig.Mode.DIRECTORY) {
            Path directory = config.source().directory().orElseThrow(() -> new IllegalStateException(
                    "stockade.source.directory is required when stockade.source.mode=directory"));
            return new DirectorySource(directory, config.source().pollInterval());
        }
        return new InformerSource(kubernetes.get());
    }

    private Leadership leadership() {
        ListenerConfig.LeaderElection election = config.leaderElection();
        if (config.source().mode() == ListenerConfig.Mode.DIRECTORY || !election.enabled()) {
            return Leadership.sole();
        }
        return new LeaseLeadership(kubernetes.get(), new LeaseLeadership.Settings(election.leaseNamespace(),
                election.leaseName(), election.identity(), election.leaseDuration(), election.renewDeadline(),
                election.retryPeriod()));
    }

    private Listener.Settings settings() {
        Config all = ConfigProvider.getConfig();
        Map<String, Object> kafka = KafkaClientProperties.fromConfig(all.getPropertyNames(),
                name -> all.getOptionalValue(name, String.class));
        ListenerConfig.Publisher publisher = config.publisher();
        return new Listener.Settings(config.topics().resources(), kafka, config.leaderElection().identity(),
                publisher.deliveryTimeout(), publisher.retryInterval(), publisher.reconcileReadTimeout());
    }
}
