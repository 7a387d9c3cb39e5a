package dev.stockade.demo;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.StreamTrust;
import dev.stockade.agent.dataplane.Reconciler;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.NodePools;
import dev.stockade.dispatcher.NodeTokens;
import dev.stockade.dispatcher.StreamTls;
import dev.stockade.dispatcher.tls.ThrowawayCa;
import dev.stockade.kube.ManifestReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * The demo's node side: one dispatcher replica per node pool and one agent per node, each with the
 * reconciler the demo gives it (nftables in the node's netns, or recording where the demo cannot
 * enforce), its ACKs noted in an {@link AckLog}. The agent stream is TLS ({@code wss://}, a throwaway
 * CA for the run, agents trusting only it) and each agent proves its node with a token of its own. Pools and nodes are read from
 * the manifest directory when the demo starts: a node's pool is its {@value NodePools#POOL_LABEL} label,
 * {@code default} without one; nodes that only appear as a pod's {@code spec.nodeName} are in
 * {@code default} too.
 */
final class Fleet implements AutoCloseable {

    private static final String TLS_PREFIX = "stockade-demo-tls-";

    private final Map<String, DispatcherReplica> dispatchers;
    private final SortedMap<String, AgentNode> agents;
    private final Path tlsDir;

    private Fleet(Map<String, DispatcherReplica> dispatchers, SortedMap<String, AgentNode> agents, Path tlsDir) {
        this.dispatchers = dispatchers;
        this.agents = agents;
        this.tlsDir = tlsDir;
    }

    static Fleet start(String bootstrapServers, Path manifests, String token, Function<String, Reconciler> reconcilers,
                       AckLog acks) {
        SortedMap<String, String> poolOfNode = nodePools(manifests);
        Path tlsDir = tlsDirectory();
        // Issue 15, as in Kubernetes: the agent stream is TLS (here from a throwaway CA whose files live in
        // tlsDir for the run), and each agent proves its node (a token per node).
        ThrowawayCa ca = ThrowawayCa.create(tlsDir, "stockade-demo");
        StreamTls serverTls = ca.serverTls("dispatcher");
        SSLContext trust = StreamTrust.trusting(ca.caFile());
        NodeTokens tokens = NodeTokens.of(poolOfNode.keySet().stream().collect(
                java.util.stream.Collectors.toMap(node -> node, node -> token + "/" + node)));
        Map<String, DispatcherReplica> dispatchers = new TreeMap<>();
        for (String pool : new java.util.TreeSet<>(poolOfNode.values())) {
            dispatchers.put(pool, DispatcherReplica.start(DispatcherSettings.defaults(bootstrapServers, pool, pool + "-1"),
                    DispatcherReplica.Options.loopback("stockade-demo-" + pool + "-" + ProcessHandle.current().pid(), tokens,
                            serverTls)));
        }
        SortedMap<String, AgentNode> agents = new TreeMap<>();
        poolOfNode.forEach((node, pool) -> agents.put(node, AgentNode.start(
                AgentSettings.tls(node, List.of(dispatchers.get(pool).address()), StreamTrust.token(token + "/" + node), trust),
                reconcilers.apply(node), new io.micrometer.core.instrument.composite.CompositeMeterRegistry(),
                new AgentNode.Observer() {
                    @Override
                    public void acked(long generation, NodeRuleSet applied, long nanos) {
                        acks.acked(node, generation);
                    }
                })));
        return new Fleet(dispatchers, agents, tlsDir);
    }

    /**
     * Deletes the TLS folders ({@code stockade-demo-tls-<pid>-*} in the temp folder) of demos whose JVM
     * is gone; returns how many.
     */
    static int removeStale() {
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile(TLS_PREFIX + "(\\d+)-.*");
        int removed = 0;
        try (var entries = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                java.util.regex.Matcher matcher = ours.matcher(entry.getFileName().toString());
                if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                    deleteQuietly(entry);
                    removed++;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // best effort
        }
        return removed;
    }

    private static Path tlsDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory(TLS_PREFIX + ProcessHandle.current().pid() + "-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the demo's TLS folder", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = java.nio.file.Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            // best effort
        }
    }

    /** Node name to pool, from the directory's Node objects and pods' nodeName. */
    static SortedMap<String, String> nodePools(Path manifests) {
        SortedMap<String, String> pools = new TreeMap<>();
        ManifestReader reader = new ManifestReader();
        for (Path file : ManifestReader.manifestFiles(manifests)) {
            try {
                for (ManifestReader.Document document : reader.objects(file)) {
                    var object = document.object();
                    String kind = object.path("kind").asText();
                    if (kind.equals("Node")) {
                        pools.put(object.path("metadata").path("name").asText(),
                                object.path("metadata").path("labels").path(NodePools.POOL_LABEL).asText(NodePools.DEFAULT_POOL));
                    } else if (kind.equals("Pod") && object.path("spec").hasNonNull("nodeName")) {
                        pools.putIfAbsent(object.path("spec").path("nodeName").asText(), NodePools.DEFAULT_POOL);
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // an unreadable file: the listener reports it; the fleet does without its nodes
            }
        }
        return pools;
    }

    /** What each agent has applied: node to rule set. */
    SortedMap<String, AgentNode> agents() {
        return agents;
    }

    /** The rule set a node's agent holds (empty for a node without an agent). */
    NodeRuleSet ruleSet(String node) {
        AgentNode agent = agents.get(node);
        return agent == null ? NodeRuleSet.empty(node) : agent.ruleSet();
    }

    /** Pool name to dispatcher address. */
    SortedMap<String, String> dispatcherAddresses() {
        SortedMap<String, String> addresses = new TreeMap<>();
        dispatchers.forEach((pool, replica) -> addresses.put(pool, replica.address()));
        return addresses;
    }

    @Override
    public void close() {
        agents.values().forEach(AgentNode::close);
        dispatchers.values().forEach(DispatcherReplica::close);
        deleteQuietly(tlsDir);
    }
}
