package dev.stockade.localkafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the nodes of a KRaft cluster on 127.0.0.1 listen, fixed before any of them starts: every
 * node is broker and controller, and the controllers form a static quorum of all the nodes
 * ({@code controller.quorum.voters}). A node that is killed and started again takes the same id
 * and ports, so clients and the other nodes find it where it was. What
 * {@link LocalKafka#startClusterNode} starts, one node per JVM.
 *
 * @param clusterId the id every node's log directory is formatted with (a Kafka {@code Uuid} in base64)
 * @param nodes     the nodes, ids 1..n; never empty
 */
public record ClusterLayout(String clusterId, List<Node> nodes) {

    /** One node: its id, its client (and inter-broker) port and its controller port. */
    public record Node(int id, int brokerPort, int controllerPort) {
    }

    public ClusterLayout {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a cluster has at least one node");
        }
        nodes = List.copyOf(nodes);
    }

    /**
     * A new cluster id and {@code size} nodes (ids 1..size) on ports of 127.0.0.1 that are free now,
     * the first at or above {@code fromPort}. Choose {@code fromPort} below the OS's ephemeral
     * range (Linux: 32768 and up), so that no outgoing connection takes a port while its node is
     * down for a restart.
     */
    public static ClusterLayout onFreePorts(int size, int fromPort) {
        List<Integer> ports = new ArrayList<>();
        for (int port = fromPort; ports.size() < 2 * size; port++) {
            if (port > 65_535) {
                throw new IllegalStateException("fewer than " + 2 * size + " free ports from " + fromPort);
            }
            if (isFree(port)) {
                ports.add(port);
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(new Node(i + 1, ports.get(2 * i), ports.get(2 * i + 1)));
        }
        return new ClusterLayout(org.apache.kafka.common.Uuid.randomUuid().toString(), nodes);
    }

    /**
     * Reads {@link #asText()}'s form:
     * {@code <cluster id>/<id>:<broker port>:<controller port>,...}.
     */
    public static ClusterLayout parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("a cluster layout is <cluster id>/<id>:<port>:<port>,..., not " + text);
        }
        List<Node> nodes = new ArrayList<>();
        for (String node : text.substring(slash + 1).split(",")) {
            String[] parts = node.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("a node is <id>:<broker port>:<controller port>, not " + node);
            }
            nodes.add(new Node(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
        }
        return new ClusterLayout(text.substring(0, slash), nodes);
    }

    /** The form {@link #parse} reads, for a command line. */
    public String asText() {
        return clusterId + "/" + nodes.stream()
                .map(n -> n.id() + ":" + n.brokerPort() + ":" + n.controllerPort()).collect(Collectors.joining(","));
    }

    /** Every node's client address, comma-separated: a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.brokerPort()).collect(Collectors.joining(","));
    }

    /** {@code controller.quorum.voters}: every node, {@code <id>@127.0.0.1:<controller port>}. */
    public String voters() {
        return nodes.stream().map(n -> n.id() + "@127.0.0.1:" + n.controllerPort()).collect(Collectors.joining(","));
    }

    /** The node with this id. */
    public Node node(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in " + nodes));
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
