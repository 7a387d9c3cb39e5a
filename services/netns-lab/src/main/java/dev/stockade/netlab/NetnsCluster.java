package dev.stockade.netlab;

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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small cluster in network namespaces: one netns per node, one per pod, and a fabric netns with
 * a bridge joining the nodes. Nodes use the routed layout (services/agent-dataplane/DESIGN.md): each
 * pod has its IP as a /32 on {@code eth0} and a default route via 169.254.1.1, which is the node
 * side of its veth; the node routes each local pod's /32 to its veth and each remote pod's /32 to
 * that pod's node over the fabric (172.31.255.0/24, node i at .i). A node's netns is where its
 * agent's nftables table goes ({@link #nodeNetns}); its {@code forward} hook sees every pod packet
 * that enters or leaves the node.
 *
 * <p>Hygiene: every name starts with {@code <family><pid>-} (namespaces; veths live inside them), so
 * concurrent runs never collide and a later run removes what a dead run left ({@link #removeStale}).
 * Each pod runs a small {@link PodServer} that exits when this JVM goes (its stdin ends) and after
 * the server lifetime at the latest; deleting a namespace kills what still runs in it. Needs root and
 * {@code ip}, plus {@code socat} to probe ({@link Requirements}).
 */
public final class NetnsCluster implements AutoCloseable {

    /** A pod as wired: its key ({@code ns/name}), node, IP, netns, and its veth's name on the node. */
    public record PodNet(String key, String node, String ip, String netns, String veth) {
    }

    /**
     * How to build a cluster.
     *
     * @param family         the name prefix of every namespace of this kind of run, e.g. {@code sdit-}
     *                       for tests; the pid and a dash follow it
     * @param serverPorts    the ports each pod's server answers on, TCP and UDP alike
     * @param serverLifetime how long a pod server (and a chatter) runs at most
     */
    public record Options(String family, List<Integer> serverPorts, Duration serverLifetime) {

        /** What the real-packet tests use: family {@code sdit-}, ports 80 and 81, 30 minutes. */
        public static Options tests() {
            return new Options(TEST_FAMILY, List.of(80, 81), Duration.ofMinutes(30));
        }

        public Options {
            if (!family.matches("[a-z][a-z0-9]*-")) {
                throw new IllegalArgumentException("family '" + family + "' must be lower-case letters and digits and end in '-'");
            }
            serverPorts = List.copyOf(new TreeSet<>(serverPorts));
        }

        public Options withFamily(String newFamily) {
            return new Options(newFamily, serverPorts, serverLifetime);
        }

        public Options withServerPorts(Collection<Integer> ports) {
            return new Options(family, List.copyOf(ports), serverLifetime);
        }

        public Options withServerLifetime(Duration lifetime) {
            return new Options(family, serverPorts, lifetime);
        }
    }

    /** The family of the real-packet tests' namespaces. */
    public static final String TEST_FAMILY = "sdit-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final Options options;
    private final String prefix;
    private final Map<String, String> nodeNetns = new LinkedHashMap<>();
    private final Map<String, PodNet> podsByIp = new LinkedHashMap<>();
    private final List<Process> servers = new ArrayList<>();
    private final Map<String, Chatter.Remote> chatters = new LinkedHashMap<>();
    private final AtomicInteger sourcePorts = new AtomicInteger(20000);
    private final Thread shutdownHook = new Thread(this::close, "netns-cluster-cleanup");
    private int podCount;
    private boolean closed;

    private NetnsCluster(Options options) {
        this.options = options;
        this.prefix = options.family() + ProcessHandle.current().pid() + "-";
    }

    /** {@link #build(Options, List)} with {@link Options#tests()}. */
    public static NetnsCluster build(List<PodInfo> pods) {
        return build(Options.tests(), pods);
    }

    /**
     * Removes the leftovers of dead runs of this family, then builds the network for these pods (each
     * needs a node and an IP; the first IP is wired) and starts their servers. A shutdown hook removes
     * it all if the JVM exits before {@link #close()}. Throws IllegalStateException naming the command
     * that failed (and removes what it built).
     */
    public static NetnsCluster build(Options options, List<PodInfo> pods) {
        removeStale(options.family());
        NetnsCluster cluster = new NetnsCluster(options);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.wire(pods);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@link #removeStale(String)} for the tests' family. */
    public static void removeStale() {
        removeStale(TEST_FAMILY);
    }

    /**
     * Deletes the namespaces of this family whose creating process is gone (killing what still runs
     * in them, which takes their veths and nftables tables with them); returns how many.
     */
    public static int removeStale(String family) {
        Pattern ours = Pattern.compile("^" + Pattern.quote(family) + "(\\d+)-\\S+");
        int removed = 0;
        for (String netns : netnsList()) {
            Matcher matcher = ours.matcher(netns);
            if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                deleteNetns(netns);
                removed++;
            }
        }
        return removed;
    }

    /** The prefix of every namespace of this run: {@code <family><pid>-}. */
    public String prefix() {
        return prefix;
    }

    /** The netns of a node (where its nftables table goes); null for a node not in this cluster. */
    public String nodeNetns(String node) {
        return nodeNetns.get(node);
    }

    /** The node names, sorted. */
    public SortedSet<String> nodes() {
        return new TreeSet<>(nodeNetns.keySet());
    }

    /** The IPs of the wired pods (in wiring order). */
    public Set<String> podIps() {
        return java.util.Collections.unmodifiableSet(podsByIp.keySet());
    }

    /** The wired pod with this IP; null for none. */
    public PodNet pod(String ip) {
        return podsByIp.get(ip);
    }

    /** The wired pods, in wiring order. */
    public List<PodNet> pods() {
        return List.copyOf(podsByIp.values());
    }

    /** A bare extra netns of this run (removed with the rest); returns its name. */
    public String scratchNetns(String suffix) {
        String netns = prefix + suffix;
        run("ip", "netns", "add", netns);
        return netns;
    }

    /** Runs a command in a netns of this run and returns its stdout; throws IllegalStateException when it fails. */
    public String exec(String netns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        full.addAll(List.of(command));
        Shell.Result result = Shell.run(full, null, COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new IllegalStateException(full + " failed: " + result.stderr().strip());
        }
        return result.stdout();
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
            startServer(pod);
        }
    }

    /**
     * Wires one more pod on a node of this cluster, as a CNI does when a pod starts: from the moment
     * this returns (and a little before) its address is live on its node and routed from the others,
     * and its {@link PodServer} answers. Returns the pod as wired.
     */
    public PodNet addPodLater(PodInfo pod) {
        if (!nodeNetns.containsKey(pod.nodeName())) {
            throw new IllegalArgumentException("node " + pod.nodeName() + " is not part of this cluster");
        }
        PodNet wired = addPod(pod);
        routeToPod(wired);
        startServer(wired);
        return wired;
    }

    /**
     * Gives a wired pod one more address (a /32 on its eth0, routed to it by its node and to its
     * node by the others): a new pod address appearing on the node, without a new namespace.
     */
    public void addAddress(String podIp, String newIp) {
        PodNet pod = podsByIp.get(podIp);
        run("ip", "-n", pod.netns(), "addr", "add", newIp + "/32", "dev", "eth0");
        run("ip", "-n", nodeNetns.get(pod.node()), "route", "add", newIp + "/32", "dev", pod.veth());
        routeToPod(new PodNet(pod.key(), pod.node(), newIp, pod.netns(), pod.veth()));
    }

    /** The {@link Chatter} of the pod at {@code ip}, started on first use. */
    public synchronized Chatter.Remote chatter(String ip) {
        return chatters.computeIfAbsent(ip, key -> Chatter.Remote.start(podsByIp.get(key).netns(),
                (int) options.serverLifetime().toSeconds()));
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

    /** A {@link PodServer} answering on the server ports, TCP and UDP, with the pod's IP as its identity. */
    private void startServer(PodNet pod) {
        String lifetime = String.valueOf(options.serverLifetime().toSeconds());
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", pod.netns(), "timeout", lifetime,
                javaBinary(), "-Xmx24m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                classpathOf(PodServer.class), PodServer.class.getName(), pod.ip(), lifetime));
        options.serverPorts().forEach(port -> command.add(String.valueOf(port)));
        try {
            Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            servers.add(server);
            String ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (!"ready".equals(ready)) {
                throw new IllegalStateException("pod server for " + pod.key() + " did not start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java of this JVM. */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The jar or classes folder a lab class comes from: all a {@link PodServer} or {@link Chatter} needs. */
    static String classpathOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True iff a connection from the pod at {@code fromIp} reaches {@code toIp} within 1.5 s (see {@link #attempt}). */
    public boolean connects(String fromIp, String toIp, Probe probe) {
        return attempt(fromIp, toIp, probe, Duration.ofMillis(1500)).ok();
    }

    /**
     * One real connection attempt with socat from the pod at {@code fromIp}: {@code ok()} iff the
     * destination answered with its own identity within {@code patience} (TCP: connect and read; UDP:
     * a datagram out, the answer back). Every attempt uses a fresh source port, so no earlier
     * conntrack entry can let it through. Safe to call from several threads.
     */
    public Attempt attempt(String fromIp, String toIp, Probe probe, Duration patience) {
        int sourcePort = 20000 + sourcePorts.getAndIncrement() % 40000;
        String socatOptions = ",sourceport=" + sourcePort + ",reuseaddr";
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", podsByIp.get(fromIp).netns(), "timeout", "10", "socat"));
        if (probe.protocol() == Protocol.TCP) {
            command.addAll(List.of("-T", "5", "-u", "TCP:" + toIp + ":" + probe.port() + socatOptions + ",connect-timeout=5", "STDOUT"));
        } else {
            command.addAll(List.of("-T", "5", "-t", "5", "-", "UDP:" + toIp + ":" + probe.port() + socatOptions));
        }
        String seen = Probing.readUntil(command, "probe\n", "id=" + toIp, patience);
        boolean answered = seen.contains("id=" + toIp);
        return new Attempt(answered, seen, "source port " + sourcePort + (answered ? "" : " no answer in "
                + patience.toMillis() + " ms"));
    }

    /** Stops the pod servers and chatters and deletes this run's namespaces; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        servers.forEach(Process::destroy);
        chatters.values().forEach(Chatter.Remote::close);
        for (String netns : netnsList()) {
            if (netns.startsWith(prefix)) {
                deleteNetns(netns);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
    }

    private static void deleteNetns(String netns) {
        Shell.Result pids = Shell.run(List.of("ip", "netns", "pids", netns), null, COMMAND_TIMEOUT);
        for (String pid : pids.stdout().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        Shell.run(List.of("ip", "netns", "del", netns), null, COMMAND_TIMEOUT);
    }

    private static List<String> netnsList() {
        List<String> names = new ArrayList<>();
        for (String line : Shell.run(List.of("ip", "netns", "list"), null, COMMAND_TIMEOUT).stdout().split("\n")) {
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
        Shell.Result result = Shell.run(List.of(command), null, COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.stderr().strip());
        }
    }
}
