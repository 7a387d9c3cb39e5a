package dev.stockade.agent.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: connected to a dispatcher. Not ready does not mean unprotected: the node keeps
 * enforcing its last applied rules (fail closed); the data say which generation.
 */
@Readiness
@ApplicationScoped
public class AgentHealth implements HealthCheck {

    private final AgentService service;

    AgentHealth(AgentService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("agent-stream").status(service.agent().connected())
                .withData("appliedGeneration", service.agent().appliedGeneration()).build();
    }
}
