package dev.stockade.agent.dataplane;

import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.verdict.Probe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small cluster in network namespaces: one netns per node, one per pod, and a fabric netns with
 * a bridge joining the nodes. Nodes use the routed layout (see DESIGN.md): each pod has its IP as
 * a /32 on {@code eth0} and a default route via 169.254.1.1, which is the node side of its veth;
 * the node routes each local pod's /32 to its veth and each remote pod's /32 to that pod's node.
 *
 * <p>Hygiene: every name starts with {@code sdit-<pid>-}, so concurrent runs never collide and a
 * later run can remove what a dead run left ({@link #removeStale()}). Each pod runs a small
 * {@link PodServer} under {@code timeout}, so it dies even if this JVM is killed.
 */
final class NetnsCluster implements AutoCloseable {

    /** A pod as wired: its key, node, IP, netns, and its veth's name on the node. */
    record PodNet(String key, String node, String ip, String netns, String veth) {
    }

    private static final String FAMILY = "sdit-";
    private static final Pattern OURS = Pattern.compile("^" + FAMILY + "(\\d+)-\\S+");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final int LISTENER_LIFETIME_SECONDS = 1800;

    private final String prefix = FAMILY + ProcessHandle.current().pid() + "-";
    private final CommandRunner os = CommandRunner.process();
    private final Map<String, String> nodeNetns = new LinkedHashMap<>();
    private final Map<String, PodNet> podsByIp = new LinkedHashMap<>();
    private final List<Process> listeners = new ArrayList<>();
    private final Map<String, Chatter.Remote> chatters = new LinkedHashMap<>();
    private int podCount;
    private final AtomicInteger sourcePorts = new AtomicInteger(20000);

    /** Builds the network for these pods (each needs a node and an IP) and starts their listeners. */
    static NetnsCluster build(List<PodInfo> pods) {
        removeStale();
        NetnsCluster cluster = new NetnsCluster();
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        try {
            cluster.wire(pods);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Deletes namespaces of earlier runs whose JVM is gone (killing what still runs in them). */
    static void removeStale() {
        NetnsCluster probe = new NetnsCluster();
        for (String netns : probe.netnsList()) {
            Matcher matcher = OURS.matcher(netns);
            if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                probe.deleteNetns(netns);
            }
        }
    }

    String nodeNetns(String node) {
        return nodeNetns.get(node);
    }

    /** nft in a node's netns. */
    Nft nft(String node) {
        return new Nft(os, nodeNetns.get(node));
    }

    /** A bare extra netns of this run (removed with the rest); returns its name. */
    String scratchNetns(String suffix) {
        String netns = prefix + suffix;
        run("ip", "netns", "add", netns);
        return netns;
    }

    /** Runs a command in a netns of this run; fails the test when it fails. */
    String exec(String netns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        full.addAll(List.of(command));
        CommandRunner.Result result = os.run(full, null, COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new IllegalStateException(full + " failed: " + result.stderr().strip());
        }
        return result.stdout();
    }

    /** IPs of the wired pods. */
    java.util.Set<String> podIps() {
        return podsByIp.keySet();
    }

    PodNet pod(String ip) {
        return podsByIp.get(ip);
    }

    CommandRunner os() {
        return os;
    }

    private void wire(List<PodInfo> pods) {
        TreeSet<String> nodes = new TreeSet<>();
        pods.forEach(pod -> nodes.add(pod.nodeName()));
        run("ip", "netns", "add", prefix + "fab");
        run("ip", "-n", prefix + "fab", "link", "add", "br0", "type", "bridge");
        run("ip", "-n", prefix + "fab", "link", "set", "br0", "up");
        int index = 1;
        for (String node : nodes) {
            addNode(node, index++);
        }
        for (PodInfo pod : pods) {
            addPod(pod);
        }
        for (PodNet pod : podsByIp.values()) {
            routeToPod(pod);
            startListeners(pod);
        }
    }

    /**
     * Wires one more pod on a node of this cluster, as a CNI does when a pod starts: from the moment
     * this returns (and a little before) its address is live on its node and routed from the others,
     * and its {@link PodServer} answers. Returns the pod as wired.
     */
    PodNet addPodLater(PodInfo pod) {
        if (!nodeNetns.containsKey(pod.nodeName())) {
            throw new IllegalArgumentException("node " + pod.nodeName() + " is not part of this cluster");
        }
        PodNet wired = addPod(pod);
        routeToPod(wired);
        startListeners(wired);
        return wired;
    }

    /**
     * Gives a wired pod one more address (a /32 on its eth0, routed to it by its node and to its
     * node by the others): a new pod address appearing on the node, without a new namespace.
     */
    void addAddress(String podIp, String newIp) {
        PodNet pod = podsByIp.get(podIp);
        run("ip", "-n", pod.netns(), "addr", "add", newIp + "/32", "dev", "eth0");
        run("ip", "-n", nodeNetns.get(pod.node()), "route", "add", newIp + "/32", "dev", pod.veth());
        routeToPod(new PodNet(pod.key(), pod.node(), newIp, pod.netns(), pod.veth()));
    }

    /** The {@link Chatter} of the pod at {@code ip}, started on first use. */
    synchronized Chatter.Remote chatter(String ip) {
        return chatters.computeIfAbsent(ip, key -> Chatter.Remote.start(podsByIp.get(key).netns(), LISTENER_LIFETIME_SECONDS));
    }

    private void addNode(String node, int index) {
        String netns = prefix + node;
        nodeNetns.put(node, netns);
        run("ip", "netns", "add", netns);
        run("ip", "-n", netns, "link", "set", "lo", "up");
        run("ip", "netns", "exec", netns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        run("ip", "-n", netns, "link", "add", "fab0", "type", "veth", "peer", "name", "n" + index, "netns", prefix + "fab");
        run("ip", "-n", prefix + "fab", "link", "set", "n" + index, "master", "br0", "up");
        run("ip", "-n", netns, "addr", "add", underlay(index) + "/24", "dev", "fab0");
        run("ip", "-n", netns, "link", "set", "fab0", "up");
    }

    private PodNet addPod(PodInfo pod) {
        int index = ++podCount;
        String netns = prefix + "p" + index;
        String node = nodeNetns.get(pod.nodeName());
        String ip = pod.ips().get(0);
        String veth = "pv" + index;
        run("ip", "netns", "add", netns);
        run("ip", "-n", netns, "link", "set", "lo", "up");
        run("ip", "-n", node, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns);
        run("ip", "-n", node, "addr", "add", "169.254.1.1/32", "dev", veth);
        run("ip", "-n", node, "link", "set", veth, "up");
        run("ip", "-n", node, "route", "add", ip + "/32", "dev", veth);
        run("ip", "-n", netns, "addr", "add", ip + "/32", "dev", "eth0");
        run("ip", "-n", netns, "link", "set", "eth0", "up");
        run("ip", "-n", netns, "route", "add", "169.254.1.1", "dev", "eth0", "scope", "link");
        run("ip", "-n", netns, "route", "add", "default", "via", "169.254.1.1", "dev", "eth0");
        PodNet wired = new PodNet(pod.key(), pod.nodeName(), ip, netns, veth);
        podsByIp.put(ip, wired);
        return wired;
    }

    /** Every other node routes this pod's /32 to the pod's node. */
    private void routeToPod(PodNet pod) {
        List<String> nodes = new ArrayList<>(nodeNetns.keySet());
        String via = underlay(nodes.indexOf(pod.node()) + 1);
        for (String node : nodes) {
            if (!node.equals(pod.node())) {
                run("ip", "-n", nodeNetns.get(node), "route", "add", pod.ip() + "/32", "via", via);
            }
        }
    }

    /** A {@link PodServer} answering on 80 and 81, TCP and UDP, with the pod's IP as its identity. */
    private void startListeners(PodNet pod) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String classes;
        try {
            classes = Path.of(PodServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            Process server = new ProcessBuilder("ip", "netns", "exec", pod.netns(), "timeout", String.valueOf(LISTENER_LIFETIME_SECONDS),
                    javaBin, "-Xmx24m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classes,
                    PodServer.class.getName(), pod.ip(), String.valueOf(LISTENER_LIFETIME_SECONDS), "80", "81")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            listeners.add(server);
            String ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (!"ready".equals(ready)) {
                throw new IllegalStateException("pod server for " + pod.key() + " did not start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True iff a connection from the pod at {@code fromIp} reaches {@code toIp} (see {@link #attempt}). */
    boolean connects(String fromIp, String toIp, Probe probe) {
        return attempt(fromIp, toIp, probe, Duration.ofMillis(1500)).ok();
    }

    /**
     * One real connection attempt with socat from the pod at {@code fromIp}: {@code ok()} iff the
     * destination answered with its own identity within {@code patience}. Every attempt uses a
     * fresh source port, so no earlier conntrack entry can let it through. stderr says what was seen.
     */
    CommandRunner.Result attempt(String fromIp, String toIp, Probe probe, Duration patience) {
        int sourcePort = 20000 + sourcePorts.getAndIncrement() % 40000;
        String options = ",sourceport=" + sourcePort + ",reuseaddr";
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", podsByIp.get(fromIp).netns(), "timeout", "10", "socat"));
        if (probe.protocol() == Protocol.TCP) {
            command.addAll(List.of("-T", "5", "-u", "TCP:" + toIp + ":" + probe.port() + options + ",connect-timeout=5", "STDOUT"));
        } else {
            command.addAll(List.of("-T", "5", "-t", "5", "-", "UDP:" + toIp + ":" + probe.port() + options));
        }
        String seen = Probing.readUntil(command, "probe\n", "id=" + toIp, patience);
        boolean answered = seen.contains("id=" + toIp);
        return new CommandRunner.Result(answered ? 0 : 1, seen, "source port " + sourcePort + (answered ? "" : " no answer in "
                + patience.toMillis() + " ms"));
    }

    /** Stops the pod servers and deletes this run's namespaces; safe to call twice. */
    @Override
    public synchronized void close() {
        listeners.forEach(Process::destroy);
        chatters.values().forEach(Chatter.Remote::close);
        for (String netns : netnsList()) {
            if (netns.startsWith(prefix)) {
                deleteNetns(netns);
            }
        }
    }

    private void deleteNetns(String netns) {
        CommandRunner.Result pids = os.run(List.of("ip", "netns", "pids", netns), null, COMMAND_TIMEOUT);
        for (String pid : pids.stdout().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        os.run(List.of("ip", "netns", "del", netns), null, COMMAND_TIMEOUT);
    }

    private List<String> netnsList() {
        List<String> names = new ArrayList<>();
        for (String line : os.run(List.of("ip", "netns", "list"), null, COMMAND_TIMEOUT).stdout().split("\n")) {
            if (!line.isBlank()) {
                names.add(line.split("\\s+")[0]);
            }
        }
        return names;
    }

    private static String underlay(int index) {
        return "172.31.255." + index;
    }

    private void run(String... command) {
        CommandRunner.Result result = os.run(List.of(command), null, COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.stderr().strip());
        }
    }
}
