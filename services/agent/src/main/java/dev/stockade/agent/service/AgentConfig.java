package dev.stockade.agent.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The agent service's typed configuration ({@code stockade.agent.*}), validated at start-up. */
@ConfigMapping(prefix = "stockade.agent")
public interface AgentConfig {

    /** This node's name (env {@code NODE_NAME}, the downward API's {@code spec.nodeName}). */
    String node();

    /** The node's pool (env {@code STOCKADE_NODE_POOL}); informative: the dispatcher address decides. */
    @WithDefault("default")
    String pool();

    /**
     * The pool's dispatchers: {@code host:port} (→ {@code wss://host:port/v1/agent-stream}) or {@code wss://} URIs;
     * connects to any, moves on failure. {@code ws://} (and {@code host:port} as {@code ws://}) only with
     * {@link #allowPlaintext()}.
     */
    List<String> dispatchers();

    /**
     * The file holding this node's token (env {@code STOCKADE_AGENT_TOKEN_FILE}): in Kubernetes the pod's projected
     * ServiceAccount token (audience {@code stockade-dispatcher}), re-read at every connect since the kubelet
     * rotates it. Never logged.
     */
    Optional<String> tokenFile();

    /** A fixed token of this node (env {@code STOCKADE_AGENT_TOKEN}; a {@code node-tokens} dispatcher), if no token file. */
    Optional<String> token();

    /** TLS of the stream. */
    Tls tls();

    /**
     * Allow plain {@code ws://} to the dispatchers (env {@code STOCKADE_AGENT_ALLOW_PLAINTEXT}). False by default:
     * a {@code ws://} address then stops the start; true logs a warning at start.
     */
    @WithDefault("false")
    boolean allowPlaintext();

    /** TLS of the agent stream. */
    interface Tls {
        /**
         * The CA bundle (PEM) the dispatchers' certificates must chain to (env {@code STOCKADE_AGENT_TLS_CA}; in
         * Kubernetes the {@code ca.crt} of Secret {@code stockade-dispatcher-tls}). Empty: the JVM's default trust store.
         */
        Optional<String> ca();
    }

    /** Where the last applied rules are kept across restarts (env {@code STOCKADE_AGENT_STATE_DIR}); empty: memory only. */
    Optional<String> stateDir();

    /** {@code recording} (records scripts, touches nothing) or {@code nft} (programs the host's nftables). */
    @WithDefault("recording")
    String reconciler();

    /** For {@code nft}: how pods are wired, {@code ROUTED} or {@code BRIDGED} (checks br_netfilter). */
    @WithDefault("ROUTED")
    String nodeLayout();

    /**
     * Drop traffic to and from a local pod address that has no verdict yet (a pod the compiler's rules
     * do not list yet) until its rules arrive (env {@code STOCKADE_FAIL_CLOSED_NEW_PODS}). Needs
     * {@link #podCidrs()}; false = new pods pass until their rules arrive, as before issue 13.
     */
    @WithDefault("true")
    boolean failClosedNewPods();

    /**
     * This node's pod address ranges, the Node's {@code spec.podCIDRs} (env {@code STOCKADE_POD_CIDRS},
     * comma-separated); validated at start-up. Empty: nothing to guard, new pods pass (with a warning
     * when {@link #failClosedNewPods()} is on).
     */
    Optional<List<String>> podCidrs();

    /**
     * Manage this node's {@code stockade.dev/agent-not-ready:NoSchedule} taint (env {@code STOCKADE_NODE_TAINT}):
     * removed once the node enforces rules the agent trusts, put back at start while it does not (a reboot). Needs
     * get and patch on nodes (the agent's ClusterRole) and a ServiceAccount token. False: taints are left alone.
     */
    @WithDefault("false")
    boolean nodeTaint();

    @WithDefault("200ms")
    Duration initialBackoff();

    @WithDefault("10s")
    Duration maxBackoff();

    @WithDefault("5m")
    Duration resyncPeriod();

    @WithDefault("2s")
    Duration retryDelay();
}
