package dev.stockade.demo;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.dataplane.Reconciler;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.NodePools;
import dev.stockade.kube.ManifestReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The demo's node side: one dispatcher replica per node pool and one agent per node, each with the
 * reconciler the demo gives it (nftables in the node's netns, or recording where the demo cannot
 * enforce), its ACKs noted in an {@link AckLog}. Pools and nodes are read from
 * the manifest directory when the demo starts: a node's pool is its {@value NodePools#POOL_LABEL} label,
 * {@code default} without one; nodes that only appear as a pod's {@code spec.nodeName} are in
 * {@code default} too.
 */
final class Fleet implements AutoCloseable {

    private final Map<String, DispatcherReplica> dispatchers;
    private final SortedMap<String, AgentNode> agents;

    private Fleet(Map<String, DispatcherReplica> dispatchers, SortedMap<String, AgentNode> agents) {
        this.dispatchers = dispatchers;
        this.agents = agents;
    }

    static Fleet start(String bootstrapServers, Path manifests, String token, Function<String, Reconciler> reconcilers,
                       AckLog acks) {
        SortedMap<String, String> poolOfNode = nodePools(manifests);
        Map<String, DispatcherReplica> dispatchers = new TreeMap<>();
        for (String pool : new java.util.TreeSet<>(poolOfNode.values())) {
            dispatchers.put(pool, DispatcherReplica.start(DispatcherSettings.defaults(bootstrapServers, pool, pool + "-1"),
                    // Issue 15: each agent proves its node (a token per node); plain ws:// explicitly allowed until
                    // the demo wires dev.stockade.dispatcher.tls.ThrowawayCa (the demo's owner does).
                    DispatcherReplica.Options.plaintext("stockade-demo-" + pool + "-" + ProcessHandle.current().pid(),
                            dev.stockade.dispatcher.NodeTokens.of(poolOfNode.keySet().stream().collect(
                                    java.util.stream.Collectors.toMap(node -> node, node -> token + "/" + node))))));
        }
        SortedMap<String, AgentNode> agents = new TreeMap<>();
        poolOfNode.forEach((node, pool) -> agents.put(node, AgentNode.start(
                AgentSettings.plaintext(node, List.of(dispatchers.get(pool).address()), token + "/" + node), reconcilers.apply(node),
                new io.micrometer.core.instrument.composite.CompositeMeterRegistry(), new AgentNode.Observer() {
                    @Override
                    public void acked(long generation, NodeRuleSet applied, long nanos) {
                        acks.acked(node, generation);
                    }
                })));
        return new Fleet(dispatchers, agents);
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
    }
}
