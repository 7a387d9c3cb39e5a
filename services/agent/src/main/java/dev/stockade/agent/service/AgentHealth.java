package dev.stockade.agent.service;

import dev.stockade.agent.AgentNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the node enforces a rule set the agent trusts ({@link AgentNode#enforcing()}: the
 * dispatcher's, realized and verified in the kernel on this run, or the kept one found still in
 * force at start) and the agent is connected to a dispatcher. A wiped table (a reboot) is rebuilt
 * before this is up; with no kept state it waits for the dispatcher's snapshot. The node's
 * {@code stockade.dev/agent-not-ready} taint is removed at the same moment ({@link NodeTaint}).
 * Not ready does not mean unprotected: the node keeps enforcing its last applied rules (fail
 * closed); the data say which generation.
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
        AgentNode agent = service.agent();
        return HealthCheckResponse.named("agent-stream").status(agent.enforcing() && agent.connected())
                .withData("enforcing", agent.enforcing())
                .withData("connected", agent.connected())
                .withData("appliedGeneration", agent.appliedGeneration()).build();
    }
}
