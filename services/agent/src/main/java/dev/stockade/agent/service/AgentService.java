package dev.stockade.agent.service;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.StreamTrust;
import dev.stockade.agent.dataplane.CommandRunner;
import dev.stockade.agent.dataplane.NewPods;
import dev.stockade.agent.dataplane.Nft;
import dev.stockade.agent.dataplane.NftReconciler;
import dev.stockade.agent.dataplane.NodeLayout;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.agent.dataplane.Reconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import java.util.logging.Logger;

/** The agent as a Quarkus bean: maps {@link AgentConfig} onto {@link AgentSettings} and runs an {@link AgentNode}. */
@Startup
@ApplicationScoped
public class AgentService {

    private static final Logger LOG = Logger.getLogger(AgentService.class.getName());

    private final AgentNode agent;
    private final NodeTaintController taint;

    AgentService(AgentConfig config, MeterRegistry registry, Instance<KubernetesClient> kubernetes) {
        AgentSettings settings = settings(config);
        this.agent = AgentNode.start(settings, reconciler(config), registry, AgentNode.Observer.NONE);
        this.taint = config.nodeTaint() ? NodeTaintController.start(new NodeTaint(kubernetes.get(), config.node()), agent,
                Duration.ofSeconds(1), Duration.ofSeconds(30)) : null;
        LOG.info("agent of node " + config.node() + " (pool " + config.pool() + ") started with the "
                + config.reconciler() + " reconciler" + (taint == null ? "" : "; it removes the node's taint "
                + NodeTaint.KEY + " once its rules are enforced"));
    }

    /**
     * The stream's settings: {@code wss://} unless plain text is explicitly allowed (with a warning); the token
     * from its file at every connect (else the fixed one); throws IllegalArgumentException (no start) for a
     * {@code ws://} address without {@code allow-plaintext} or an unusable CA bundle.
     */
    static AgentSettings settings(AgentConfig config) {
        boolean plaintext = config.allowPlaintext() && config.tls().ca().filter(ca -> !ca.isBlank()).isEmpty();
        if (config.allowPlaintext()) {
            LOG.warning("stockade.agent.allow-plaintext=true: ws:// dispatcher addresses are allowed; this node's rules"
                    + " and token may cross the network unencrypted");
        }
        SSLContext tls = config.tls().ca().filter(ca -> !ca.isBlank()).map(ca -> StreamTrust.trusting(Path.of(ca)))
                .orElse(null);
        Supplier<String> credential = config.tokenFile().filter(file -> !file.isBlank())
                .map(file -> StreamTrust.tokenFile(Path.of(file)))
                .or(() -> config.token().filter(token -> !token.isBlank()).map(StreamTrust::token)).orElse(null);
        if (credential == null) {
            LOG.warning("no stockade.agent.token-file or token: the dispatchers will refuse this agent");
        }
        return new AgentSettings(config.node(),
                config.dispatchers().stream().map(address -> AgentSettings.endpoint(address, !plaintext)).toList(),
                credential, tls, config.allowPlaintext(),
                config.stateDir().filter(dir -> !dir.isBlank()).map(Path::of).orElse(null), config.initialBackoff(),
                config.maxBackoff(), config.resyncPeriod(), config.retryDelay());
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
        if (taint != null) {
            taint.close();
        }
        agent.close();
    }
}
