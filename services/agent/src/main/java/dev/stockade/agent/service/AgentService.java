package dev.stockade.agent.service;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.dataplane.CommandRunner;
import dev.stockade.agent.dataplane.NewPods;
import dev.stockade.agent.dataplane.Nft;
import dev.stockade.agent.dataplane.NftReconciler;
import dev.stockade.agent.dataplane.NodeLayout;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.agent.dataplane.Reconciler;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/** The agent as a Quarkus bean: maps {@link AgentConfig} onto {@link AgentSettings} and runs an {@link AgentNode}. */
@Startup
@ApplicationScoped
public class AgentService {

    private static final Logger LOG = Logger.getLogger(AgentService.class.getName());

    private final AgentNode agent;

    AgentService(AgentConfig config, MeterRegistry registry) {
        AgentSettings settings = new AgentSettings(config.node(),
                config.dispatchers().stream().map(AgentSettings::endpoint).toList(), config.token().orElse(null),
                config.stateDir().filter(dir -> !dir.isBlank()).map(Path::of).orElse(null), config.initialBackoff(),
                config.maxBackoff(), config.resyncPeriod(), config.retryDelay());
        this.agent = AgentNode.start(settings, reconciler(config), registry, AgentNode.Observer.NONE);
        LOG.info("agent of node " + config.node() + " (pool " + config.pool() + ") started with the "
                + config.reconciler() + " reconciler");
    }

    static Reconciler reconciler(AgentConfig config) {
        NewPods newPods = newPods(config);
        return switch (config.reconciler()) {
            case "recording" -> new RecordingReconciler(newPods);
            case "nft" -> new NftReconciler(new Nft(CommandRunner.process(), null),
                    NodeLayout.valueOf(config.nodeLayout()), newPods);
            default -> throw new IllegalArgumentException("stockade.agent.reconciler must be recording or nft, not "
                    + config.reconciler());
        };
    }

    /**
     * Fail closed for new pods as configured; throws IllegalArgumentException (the service does not
     * start) for a pod CIDR that is not one. On without CIDRs there is nothing to guard: say so.
     */
    static NewPods newPods(AgentConfig config) {
        NewPods newPods = NewPods.of(config.failClosedNewPods(), config.podCidrs().orElse(List.of()));
        if (newPods.failClosed() && newPods.podCidrs().isEmpty()) {
            LOG.warning("stockade.agent.fail-closed-new-pods is on but no stockade.agent.pod-cidrs are set: new pods"
                    + " pass until their rules arrive; set the node's spec.podCIDRs (STOCKADE_POD_CIDRS)");
        } else {
            LOG.info("new pods: " + (newPods.failClosed() ? "fail closed in " + newPods.podCidrs()
                    : "open until their rules arrive"));
        }
        return newPods;
    }

    AgentNode agent() {
        return agent;
    }

    @PreDestroy
    void stop() {
        agent.close();
    }
}
