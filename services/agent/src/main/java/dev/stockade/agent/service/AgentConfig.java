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

    /** The pool's dispatchers: {@code host:port} or {@code ws(s)://} URIs; connects to any, moves on failure. */
    List<String> dispatchers();

    /** The pool's shared token (env {@code STOCKADE_AGENT_TOKEN}); never logged. Empty: send none. */
    Optional<String> token();

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

    @WithDefault("200ms")
    Duration initialBackoff();

    @WithDefault("10s")
    Duration maxBackoff();

    @WithDefault("5m")
    Duration resyncPeriod();

    @WithDefault("2s")
    Duration retryDelay();
}
