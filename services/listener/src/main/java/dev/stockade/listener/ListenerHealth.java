package dev.stockade.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Health of the listener. Ready: the source has listed the cluster once, no send waits for a
 * retry, and (when leading) the topic has been reconciled. Live: the worker loop is turning and
 * sends have not been failing without a single success for longer than the configured limit
 * (a restart then gets a fresh producer and connection).
 */
public final class ListenerHealth {

    private ListenerHealth() {
    }

    /** {@code /q/health/ready}. */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        ListenerLifecycle lifecycle;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("stockade-listener");
            return lifecycle.pipeline().map(pipeline -> response.status(pipeline.ready())
                    .withData("sourceSynced", pipeline.source().synced())
                    .withData("leader", pipeline.publishing())
                    .withData("pendingRetries", pipeline.publisher().pendingRetries())
                    .withData("lastSendError", pipeline.publisher().lastError().orElse("none"))
                    .build()).orElseGet(() -> response.down().withData("state", "starting").build());
        }
    }

    /** {@code /q/health/live}. */
    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        ListenerLifecycle lifecycle;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("stockade-listener");
            ListenerConfig.Publisher limits = lifecycle.config().publisher();
            return lifecycle.pipeline().map(pipeline -> {
                long stuckFor = pipeline.millisSinceHeartbeat();
                long failingSince = pipeline.publisher().failingSinceMillis();
                long failingFor = failingSince < 0 ? 0 : System.currentTimeMillis() - failingSince;
                boolean live = stuckFor < limits.stuckLivenessLimit().toMillis()
                        && failingFor < limits.failingLivenessLimit().toMillis();
                return response.status(live).withData("millisSinceWorkerLoop", stuckFor)
                        .withData("millisSendsFailing", failingFor).build();
            }).orElseGet(() -> response.up().withData("state", "starting").build());
        }
    }
}
