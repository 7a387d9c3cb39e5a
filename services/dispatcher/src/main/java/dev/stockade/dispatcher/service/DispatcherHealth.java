package dev.stockade.dispatcher.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: caught up with the Node records and its rules partitions. Liveness: the Kafka loop runs. */
public class DispatcherHealth {

    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {
        private final DispatcherService service;

        Ready(DispatcherService service) {
            this.service = service;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("dispatcher-caught-up").status(service.core().ready()).build();
        }
    }

    @Liveness
    @ApplicationScoped
    static class Alive implements HealthCheck {
        private final DispatcherService service;

        Alive(DispatcherService service) {
            this.service = service;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("dispatcher-loop").status(service.core().alive()).build();
        }
    }
}
