package dev.stockade.agent.dataplane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code nft} binary in one network namespace ({@code null} = the agent's own, which on a real
 * node is the host's). Every call is one process: {@code ip netns exec NS nft -f -} with the
 * script on stdin, so a script is one kernel transaction.
 */
public final class Nft {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final CommandRunner runner;
    private final String namespace;

    public Nft(CommandRunner runner, String namespace) {
        this.runner = runner;
        this.namespace = namespace;
    }

    /** Loads a script as one transaction: all of it or, on any error, none of it. */
    public CommandRunner.Result apply(String script) {
        return runner.run(inNamespace("nft", "-f", "-"), script, TIMEOUT);
    }

    /** Parses and checks a script against the kernel without committing it ({@code nft -c}). */
    public CommandRunner.Result check(String script) {
        return runner.run(inNamespace("nft", "-c", "-f", "-"), script, TIMEOUT);
    }

    /** {@code nft --version}: fails when nft is not installed. */
    public CommandRunner.Result version() {
        return runner.run(inNamespace("nft", "--version"), null, TIMEOUT);
    }

    /** The ruleset of Stockade's table as nft lists it; fails when the table does not exist. */
    public CommandRunner.Result listTable() {
        return runner.run(inNamespace("nft", "list", "table", NftTable.FAMILY, NftTable.NAME), null, TIMEOUT);
    }

    /**
     * A table as {@code nft -s list table inet <name>} prints it (stateless: no counter values);
     * fails when the table does not exist. {@code name} is Stockade's table or its check copy.
     */
    public CommandRunner.Result listStateless(String name) {
        return runner.run(inNamespace("nft", "-s", "list", "table", NftTable.FAMILY, name), null, TIMEOUT);
    }

    /** A sysctl of the namespace, e.g. {@code net/bridge/bridge-nf-call-iptables}; fails when absent. */
    public CommandRunner.Result sysctl(String path) {
        return runner.run(inNamespace("cat", "/proc/sys/" + path), null, TIMEOUT);
    }

    /** The namespace this instance works in; null for the agent's own. */
    public String namespace() {
        return namespace;
    }

    private List<String> inNamespace(String... command) {
        List<String> full = new ArrayList<>();
        if (namespace != null) {
            full.addAll(List.of("ip", "netns", "exec", namespace));
        }
        full.addAll(List.of(command));
        return full;
    }
}
