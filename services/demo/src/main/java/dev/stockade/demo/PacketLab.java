package dev.stockade.demo;

import dev.stockade.agent.dataplane.CommandRunner;
import dev.stockade.agent.dataplane.NewPods;
import dev.stockade.agent.dataplane.Nft;
import dev.stockade.agent.dataplane.NftReconciler;
import dev.stockade.agent.dataplane.NodeLayout;
import dev.stockade.agent.dataplane.Reconciler;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import dev.stockade.localkafka.LocalKafka;
import dev.stockade.netlab.Attempt;
import dev.stockade.netlab.NetnsCluster;
import dev.stockade.netlab.Requirements;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The demo's data plane on this machine: the cluster of the manifest directory built in network
 * namespaces ({@link NetnsCluster}, family {@value #FAMILY}: one netns per node, one per pod with its
 * IP, a pod server on every probe port), an {@link NftReconciler} per node on that node's netns for
 * its agent, and real TCP/UDP probes between the pods.
 *
 * <p>Why this shape: the agents, dispatchers, compiler and broker are the real ones, so the only
 * stand-in left is the kernel's network, and a netns per node gives each agent its own
 * {@code table inet stockade} and {@code forward} hook, exactly as on a node.
 *
 * <p>New pods: each node fails closed for its pods' addresses as of the start (their /32s: the
 * manifests carry no pod CIDRs), so a pod address appearing before its rules gets nothing through.
 */
public final class PacketLab implements AutoCloseable {

    /** The name prefix of every namespace the demo creates. */
    public static final String FAMILY = "sdemo-";
    private static final Duration PATIENCE = Duration.ofMillis(1500);
    private static final Duration RETRY_PATIENCE = Duration.ofSeconds(2);
    private static final int PARALLEL_PROBES = 16;

    private final NetnsCluster network;
    private final Map<String, NewPods> newPods;
    private final ExecutorService probes = Executors.newFixedThreadPool(PARALLEL_PROBES, runnable -> {
        Thread thread = new Thread(runnable, "stockade-demo-probe");
        thread.setDaemon(true);
        return thread;
    });

    private PacketLab(NetnsCluster network, Map<String, NewPods> newPods) {
        this.network = network;
        this.newPods = newPods;
    }

    /** Why the demo cannot enforce on this machine (not root, a tool missing), in one line; empty when it can. */
    public static Optional<String> cannotEnforce() {
        return Requirements.missing();
    }

    /**
     * Removes what earlier demos left when they died before cleaning up (namespaces of family
     * {@value #FAMILY}, broker and TLS folders of gone pids); returns how many things.
     */
    public static int removeLeftovers() {
        return NetnsCluster.removeStale(FAMILY) + LocalKafka.removeStale() + Fleet.removeStale();
    }

    /**
     * Builds the network for these pods (each with a node and an IP), pod servers answering on every
     * port of {@code probes}. Throws IllegalStateException naming the command that failed.
     */
    public static PacketLab build(List<PodInfo> pods, List<Probe> probes) {
        TreeSet<Integer> ports = new TreeSet<>();
        probes.forEach(probe -> ports.add(probe.port()));
        NetnsCluster network = NetnsCluster.build(NetnsCluster.Options.tests().withFamily(FAMILY).withServerPorts(ports)
                .withServerLifetime(Duration.ofDays(7)), pods);
        Map<String, List<String>> addresses = new TreeMap<>();
        pods.forEach(pod -> addresses.computeIfAbsent(pod.nodeName(), node -> new ArrayList<>()).add(pod.ips().get(0) + "/32"));
        Map<String, NewPods> newPods = new TreeMap<>();
        addresses.forEach((node, cidrs) -> newPods.put(node, NewPods.of(true, cidrs)));
        return new PacketLab(network, newPods);
    }

    /** The reconciler for a node's agent: nftables in its netns, or recording for a node without pods. */
    public Reconciler reconciler(String node) {
        String netns = network.nodeNetns(node);
        if (netns == null) {
            return new RecordingReconciler();
        }
        return new NftReconciler(new Nft(CommandRunner.process(), netns), NodeLayout.ROUTED, newPods.get(node));
    }

    /** The netns of each node, for people. */
    public Map<String, String> nodeNamespaces() {
        Map<String, String> namespaces = new TreeMap<>();
        network.nodes().forEach(node -> namespaces.put(node, network.nodeNetns(node)));
        return namespaces;
    }

    /** How many pods are wired. */
    public int podCount() {
        return network.podIps().size();
    }

    /** Wires the pods not wired yet whose node is part of the lab (a pod added to the directory); returns those it could not. */
    public List<String> wire(List<PodInfo> pods) {
        List<String> unwired = new ArrayList<>();
        for (PodInfo pod : pods) {
            String ip = pod.ips().get(0);
            if (network.pod(ip) != null && network.pod(ip).key().equals(pod.key())) {
                continue;
            }
            if (network.nodeNetns(pod.nodeName()) == null || network.pod(ip) != null) {
                unwired.add(pod.key());
            } else {
                network.addPodLater(pod);
            }
        }
        return unwired;
    }

    /** Whether real packets can tell this cell: not a self pair (it never leaves the pod), not SCTP (no sockets here). */
    public static boolean probeable(Endpoint from, Endpoint to, Probe probe) {
        return !from.pod().equals(to.pod()) && probe.protocol() != Protocol.SCTP;
    }

    /**
     * Probes every probeable cell between wired endpoints with a real connection, in parallel, and
     * returns the measured verdicts (in matrix order). A cell that saw no answer is tried once more
     * with more patience: a reply cannot be faked, but a busy machine can be late with one.
     */
    public List<Verdict> probe(List<Endpoint> endpoints, List<Probe> cells) {
        List<Future<Verdict>> running = new ArrayList<>();
        for (Endpoint from : endpoints) {
            for (Endpoint to : endpoints) {
                for (Probe probe : cells) {
                    if (probeable(from, to, probe) && wired(from) && wired(to)) {
                        running.add(probes.submit(() -> measure(from, to, probe)));
                    }
                }
            }
        }
        List<Verdict> measured = new ArrayList<>();
        for (Future<Verdict> cell : running) {
            try {
                measured.add(cell.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while probing", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a probe failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return measured;
    }

    private boolean wired(Endpoint endpoint) {
        NetnsCluster.PodNet pod = network.pod(endpoint.ip());
        return pod != null && pod.key().equals(endpoint.pod());
    }

    private Verdict measure(Endpoint from, Endpoint to, Probe probe) {
        Attempt attempt = network.attempt(from.ip(), to.ip(), probe, PATIENCE);
        if (!attempt.ok()) {
            attempt = network.attempt(from.ip(), to.ip(), probe, RETRY_PATIENCE);
        }
        return new Verdict(from.pod(), to.pod(), probe.protocol(), probe.port(), attempt.ok());
    }

    /** Stops the probes and the pod servers and deletes every namespace (with its veths and nft table). */
    @Override
    public void close() {
        probes.shutdownNow();
        network.close();
    }
}
