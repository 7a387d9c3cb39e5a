package dev.stockade.listener;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Leader election among listener replicas with fabric8's {@code LeaderElector} on a
 * {@code coordination.k8s.io/v1} Lease in the listener's own namespace (create, get, update:
 * what the listener's Role grants and {@code ListenerRbacContractTest} checks; renewals are PUTs,
 * see {@link UpdatingLeaseLock}).
 * The holder renews the Lease every retry period; when it cannot renew within the renew
 * deadline it stops leading (and stops publishing); a standby takes the Lease once it has not
 * been renewed for the lease duration. On close the Lease is released, so a standby takes over
 * at once.
 *
 * <p>fabric8's elector ends once leadership is lost; this class then enters the election again,
 * so a replica that lost the Lease (a network blip) becomes a candidate again.
 */
public final class LeaseLeadership implements Leadership {

    private static final Logger LOG = Logger.getLogger(LeaseLeadership.class);

    /** Where the Lease is, who this replica is, and the election's timing. */
    public record Settings(String namespace, String leaseName, String identity, Duration leaseDuration,
                           Duration renewDeadline, Duration retryPeriod) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stockade-leader-election");
        thread.setDaemon(true);
        return thread;
    });
    private volatile CompletableFuture<?> election;
    private volatile boolean closed;

    public LeaseLeadership(KubernetesClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public void start(Callbacks callbacks) {
        if (closed) {
            return;
        }
        LeaderElectionConfig config = new LeaderElectionConfigBuilder()
                .withName("stockade-listener")
                .withLock(new UpdatingLeaseLock(settings.namespace(), settings.leaseName(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(callbacks::startedLeading, callbacks::stoppedLeading,
                        leader -> LOG.infof("listener leader is now %s", leader)))
                .build();
        election = client.leaderElector().withConfig(config).build().start();
        election.whenComplete((done, error) -> {
            if (!closed) {
                LOG.infof("left the election of %s/%s%s; entering it again", settings.namespace(),
                        settings.leaseName(), error == null ? "" : " (" + error.getMessage() + ")");
                restarts.schedule(() -> start(callbacks), settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Leaves the current election (releasing the Lease if this replica still holds it) and enters it again. */
    @Override
    public void resign() {
        CompletableFuture<?> running = election;
        if (running != null) {
            running.cancel(true);
        }
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> running = election;
        if (running != null) {
            running.cancel(true);
        }
        restarts.shutdownNow();
    }
}
