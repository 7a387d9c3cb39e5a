package dev.stockade.compiler.service;

import dev.stockade.compiler.CompilerLoop;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * Liveness: the loop has not failed. Readiness: the replica is the active compiler or a standby
 * in the replicated-state cluster (a standby is ready: it can take over at any moment).
 */
public class CompilerHealth {

    @ApplicationScoped
    @Liveness
    static class Alive implements HealthCheck {
        private final CompilerService service;

        Alive(CompilerService service) {
            this.service = service;
        }

        @Override
        public HealthCheckResponse call() {
            CompilerLoop.Role role = service.role();
            return HealthCheckResponse.named("compiler-loop").status(role != CompilerLoop.Role.FAILED)
                    .withData("role", role.name()).build();
        }
    }

    @ApplicationScoped
    @Readiness
    static class Ready implements HealthCheck {
        private final CompilerService service;
        private final EmbeddedCacheManager cacheManager;

        Ready(CompilerService service, EmbeddedCacheManager cacheManager) {
            this.service = service;
            this.cacheManager = cacheManager;
        }

        @Override
        public HealthCheckResponse call() {
            CompilerLoop.Role role = service.role();
            boolean ready = role == CompilerLoop.Role.ACTIVE || role == CompilerLoop.Role.STANDBY;
            return HealthCheckResponse.named("compiler").status(ready).withData("role", role.name())
                    .withData("stateMembers", cacheManager.getMembers() == null ? 1 : cacheManager.getMembers().size())
                    .build();
        }
    }
}
