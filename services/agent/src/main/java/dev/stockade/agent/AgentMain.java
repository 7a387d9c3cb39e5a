package dev.stockade.agent;

import dev.stockade.agent.dataplane.CommandRunner;
import dev.stockade.agent.dataplane.NewPods;
import dev.stockade.agent.dataplane.Nft;
import dev.stockade.agent.dataplane.NftReconciler;
import dev.stockade.agent.dataplane.NodeLayout;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The agent as a plain OS process, without Quarkus: what tests kill with {@code kill -9} and start
 * again (the Quarkus service is the same {@link AgentNode} behind config, readiness and metrics).
 * It programs nftables ({@link NftReconciler}, routed layout) in its own network namespace or in
 * {@code --netns}, and prints {@value #ENFORCING} and the generation to stdout once
 * {@link AgentNode#enforcingFuture()} completes (what readiness waits for).
 *
 * <p>Arguments {@code --name=value}, each also read from an environment variable:
 * {@code --node} ({@code NODE_NAME}), {@code --dispatchers} ({@code STOCKADE_DISPATCHER_ADDRESS},
 * comma-separated {@code host:port} or URIs), {@code --token} ({@code STOCKADE_AGENT_TOKEN}),
 * {@code --state-dir} ({@code STOCKADE_AGENT_STATE_DIR}), {@code --netns} ({@code STOCKADE_NETNS}: an
 * {@code ip netns} name; none = this process's namespace), {@code --pod-cidrs}
 * ({@code STOCKADE_POD_CIDRS}, comma-separated), {@code --fail-closed-new-pods}
 * ({@code STOCKADE_FAIL_CLOSED_NEW_PODS}, default true), {@code --tls-ca} ({@code STOCKADE_AGENT_TLS_CA}: the
 * dispatchers' CA bundle, PEM; then {@code host:port} addresses are {@code wss://}), {@code --allow-plaintext}
 * ({@code STOCKADE_AGENT_ALLOW_PLAINTEXT}, default false).
 *
 * <p>Why plain text takes a flag: the stream carries the node's token and its rules, so it fails closed. Without
 * {@code --tls-ca} the agent starts only with {@code --allow-plaintext=true} (then {@code host:port} addresses are
 * plain {@code ws://}, with a WARN at start; for tests against plain servers); without either it prints one line
 * naming both and exits {@value #BAD_ARGUMENTS}, as it does for any other bad argument.
 */
public final class AgentMain {

    /** The line printed (followed by a space and the generation) once the node enforces trusted rules. */
    public static final String ENFORCING = "stockade-agent enforcing generation";

    /** The exit status for bad arguments (a missing or unknown option, plain text not allowed, an unreadable CA). */
    public static final int BAD_ARGUMENTS = 2;

    private static final Logger LOG = Logger.getLogger(AgentMain.class.getName());

    private static final Map<String, String> ENV = Map.of("node", "NODE_NAME", "dispatchers", "STOCKADE_DISPATCHER_ADDRESS",
            "token", "STOCKADE_AGENT_TOKEN", "state-dir", "STOCKADE_AGENT_STATE_DIR", "netns", "STOCKADE_NETNS",
            "pod-cidrs", "STOCKADE_POD_CIDRS", "fail-closed-new-pods", "STOCKADE_FAIL_CLOSED_NEW_PODS",
            "tls-ca", "STOCKADE_AGENT_TLS_CA", "allow-plaintext", "STOCKADE_AGENT_ALLOW_PLAINTEXT");

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options;
        AgentSettings settings;
        NewPods newPods;
        try {
            options = options(args);
            settings = settings(options);
            newPods = NewPods.of(!"false".equalsIgnoreCase(options.getOrDefault("fail-closed-new-pods", "true")),
                    list(options.getOrDefault("pod-cidrs", "")));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("stockade-agent: " + e.getMessage());
            System.exit(BAD_ARGUMENTS);
            return;
        }
        NftReconciler reconciler = new NftReconciler(new Nft(CommandRunner.process(), options.get("netns")),
                NodeLayout.ROUTED, newPods);
        AgentNode agent = AgentNode.start(settings, reconciler);
        agent.enforcingFuture().thenAccept(generation -> {
            System.out.println(ENFORCING + " " + generation);
            System.out.flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "agent-stop"));
        stopped.await();
    }

    /**
     * The stream settings of {@code options}: {@code wss://} trusting {@code --tls-ca}; else plain {@code ws://} if
     * {@code --allow-plaintext} is true (logged as a WARN); else an {@link IllegalArgumentException} naming both.
     */
    static AgentSettings settings(Map<String, String> options) {
        String node = required(options, "node");
        List<String> dispatchers = list(required(options, "dispatchers"));
        String token = options.get("token");
        AgentSettings settings;
        if (options.containsKey("tls-ca")) {
            settings = AgentSettings.tls(node, dispatchers, token == null ? null : StreamTrust.token(token),
                    StreamTrust.trusting(Path.of(options.get("tls-ca"))));
        } else if (flag(options, "allow-plaintext", false)) {
            LOG.warning("--allow-plaintext: the stream to the dispatchers " + dispatchers + " is plain ws://, unencrypted"
                    + " (the node's token and rules in clear text); use --tls-ca for wss://");
            settings = AgentSettings.plaintext(node, dispatchers, token);
        } else {
            throw new IllegalArgumentException("no --tls-ca (or STOCKADE_AGENT_TLS_CA) for wss://, and plain ws:// is not"
                    + " allowed: give the dispatchers' CA bundle with --tls-ca, or allow an unencrypted stream explicitly"
                    + " with --allow-plaintext=true (or STOCKADE_AGENT_ALLOW_PLAINTEXT=true)");
        }
        settings = settings.withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        return options.containsKey("state-dir") ? settings.withStateDir(Path.of(options.get("state-dir"))) : settings;
    }

    /** A boolean option: {@code true} or {@code false} (any case); absent = {@code absent}; anything else is refused. */
    private static boolean flag(Map<String, String> options, String name, boolean absent) {
        String value = options.get(name);
        if (value == null) {
            return absent;
        }
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("--" + name + " (or " + ENV.get(name) + ") is true or false, not '" + value + "'");
    }

    /** {@code --name=value} arguments over the environment; blank values count as absent. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        ENV.forEach((name, variable) -> {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                options.put(name, value.strip());
            }
        });
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, not " + arg);
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!ENV.containsKey(name)) {
                throw new IllegalArgumentException("unknown argument --" + name + "; known: " + ENV.keySet());
            }
            String value = arg.substring(arg.indexOf('=') + 1).strip();
            if (value.isEmpty()) {
                options.remove(name);
            } else {
                options.put(name, value);
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " (or " + ENV.get(name) + ") is required");
        }
        return value;
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(part -> !part.isEmpty()).toList();
    }
}
