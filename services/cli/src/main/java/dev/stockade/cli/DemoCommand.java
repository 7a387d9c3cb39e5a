package dev.stockade.cli;

import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import dev.stockade.demo.ManifestSnapshot;
import dev.stockade.demo.PacketLab;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stockade demo [DIR]}: the whole system on this machine — a real local Kafka broker (KRaft),
 * the listener reading DIR as its cluster, the compiler with its Infinispan member, a dispatcher per
 * node pool and an agent per node. As root with nft, ip and socat, the cluster is built in network
 * namespaces (a netns per node and per pod, with the pods' IPs), each agent enforces its node's rules
 * with nftables in its node's netns, and every pod pair is probed on real packets: the measured
 * matrix is shown beside the computed one ({@code stockade matrix}) with their difference. Elsewhere
 * one line says what is missing and the agents record rules instead. Edits to DIR flow through: a line
 * per change, the time to enforced, the cells that flipped. Ctrl-C stops and removes everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole system locally on a directory of manifests (default: the 2016 tenant-a example),"
                + " enforcing with nftables in network namespaces when run as root, and probe it with real packets.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:--once: the measured matrix equals the computed one (not enforcing: the agents' rules give the"
                + " computed matrix)", "1:--once: they differ, or the system did not converge", "2:bad arguments"})
final class DemoCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Manifests that stand for the cluster.")
    Path directory;

    @Option(names = "--once", description = "Start, wait until every agent ACKed, probe, print one JSON document"
            + " ({\"enforced\":…,\"rules\":{…},\"verdicts\":[computed],\"measured\":[…],\"difference\":[…]}), stop.")
    boolean once;

    @Option(names = "--probe", defaultValue = "80/TCP", paramLabel = "PORT/PROTO,...", description = "Matrix probes.")
    String probes;

    @Option(names = {"--rules", "-v"}, description = "Also print every delta as it arrives and the full rule sets after each change.")
    boolean rules;

    @Option(names = "--record", description = "Do not enforce even where this machine could: agents record rules.")
    boolean record;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for convergence.")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        OneLineLog.install(Level.WARNING);
        Path manifests = directory != null ? directory : defaultExample();
        if (!Files.isDirectory(manifests)) {
            throw new IllegalArgumentException(manifests + " is not a directory");
        }
        List<Probe> parsedProbes = Probe.parseList(probes);
        PrintStream progress = once ? System.err : new PrintStream(System.out, true);
        int leftovers = PacketLab.removeLeftovers();
        if (leftovers > 0) {
            progress.println("stockade demo: removed " + leftovers + " leftovers of earlier demos that did not stop cleanly");
        }
        Optional<String> cannot = record ? Optional.of("--record given") : PacketLab.cannotEnforce();
        DemoSession session = DemoSession.open(manifests, parsedProbes, cannot);
        Thread cleanup = new Thread(() -> {
            stopping = true;
            session.close();
        }, "stockade-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            announce(session, manifests, progress);
            session.start(delta -> {
                if (rules) {
                    progress.println("  rules " + DeltaLine.describe(delta));
                }
            });
            progress.print(DemoReport.tryCommands(session.system().bootstrapServers(), parsedProbes));
            Instant started = Instant.now();
            if (!session.system().awaitConverged(Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(500))) {
                throw new IllegalStateException("the system did not converge within " + timeoutSeconds + " s: "
                        + session.system().notConverged());
            }
            progress.println("  every agent ACKed its node's rules " + Duration.between(started, lastAck(session, started))
                    .toMillis() + " ms after the start; " + (session.enforcing() ? "probing every pod pair" : "evaluating"));
            DemoSession.Matrices matrices = session.matrices();
            if (once) {
                return once(session, matrices);
            }
            progress.print(DemoReport.matrices(matrices, parsedProbes, session.enforcing()));
            printRules(session, progress);
            watch(manifests, session, matrices, progress);
            return 0;
        } finally {
            session.close();
            removeHook(cleanup);
        }
    }

    private void announce(DemoSession session, Path manifests, PrintStream progress) {
        if (session.enforcing()) {
            progress.println("stockade demo: enforcing with nftables: " + session.lab().nodeNamespaces().size() + " nodes and "
                    + session.lab().podCount() + " pods in network namespaces " + PacketLab.FAMILY
                    + ProcessHandle.current().pid() + "-* (a netns per node and per pod, pods on their IPs)");
        } else {
            System.err.println("stockade demo: not enforcing: " + session.notEnforcingReason()
                    + "; the agents record rules instead of enforcing them");
        }
        progress.println("stockade demo: starting a local Kafka broker, the listener on " + manifests
                + ", the compiler, a dispatcher per node pool and an agent per node (agent stream: wss:// from a throwaway CA,"
                + " a token per node)");
    }

    private int once(DemoSession session, DemoSession.Matrices matrices) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println(CoreJson.compactJson().writeValueAsString(DemoReport.document(session, matrices,
                session.system().ruleSets())));
        out.flush();
        List<Verdict> differing = DemoSession.difference(matrices);
        System.err.print(DemoReport.difference(matrices, session.enforcing()));
        return differing.isEmpty() ? 0 : 1;
    }

    /** Follows edits of the directory until Ctrl-C: a line per change, then the flipped cells. */
    private void watch(Path manifests, DemoSession session, DemoSession.Matrices initial, PrintStream out) throws Exception {
        out.println("Watching " + manifests + " — edit a manifest to see it flow through; Ctrl-C stops.");
        ManifestSnapshot shown = ManifestSnapshot.read(manifests);
        DemoSession.Matrices last = initial;
        while (!stopping) {
            Thread.sleep(200);
            ManifestSnapshot now = ManifestSnapshot.read(manifests);
            if (now.sameObjects(shown) || stopping) {
                continue;
            }
            Instant detected = Instant.now();
            Instant saved = now.modified().isAfter(shown.modified()) ? now.modified() : detected;
            session.system().awaitConverged(Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(400));
            if (stopping) {
                break;
            }
            Map<String, Long> deltas = new TreeMap<>();
            session.deltasSince(saved.minusMillis(5)).forEach(delta -> deltas.merge(delta.node(), delta.generation(), Math::max));
            List<String> notAcked = new ArrayList<>();
            Instant enforced = saved;
            for (Map.Entry<String, Long> delta : deltas.entrySet()) {
                Optional<Instant> ack = session.system().acks().ackedAtOrAfter(delta.getKey(), delta.getValue());
                if (ack.isEmpty()) {
                    notAcked.add(delta.getKey());
                } else if (ack.get().isAfter(enforced)) {
                    enforced = ack.get();
                }
            }
            DemoSession.Matrices matrices = session.matrices();
            out.print(DemoReport.change(detected, now.changesSince(shown), deltas, Duration.between(saved, enforced), notAcked,
                    matrices, DemoSession.changed(last.observed(), matrices.observed()), session.probes(), session.enforcing()));
            printRules(session, out);
            shown = now;
            last = matrices;
        }
        out.println("stockade demo: stopping; removing the network namespaces, the broker and its folder");
    }

    private void printRules(DemoSession session, PrintStream out) throws Exception {
        if (rules) {
            out.print(CoreJson.yaml().writeValueAsString(session.system().ruleSets()));
        }
    }

    /** The latest first ACK of the generation each agent holds now. */
    private static Instant lastAck(DemoSession session, Instant fallback) {
        Instant last = fallback;
        for (String node : session.system().agentNodes()) {
            long generation = session.system().agentGeneration(node);
            Optional<Instant> ack = session.system().acks().ackedAtOrAfter(node, generation);
            if (ack.isPresent() && ack.get().isAfter(last)) {
                last = ack.get();
            }
        }
        return last;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook runs (and finds everything closed)
        }
    }

    /** The tenant-a example of the repository the launcher runs from (or the working directory). */
    private static Path defaultExample() {
        String home = System.getenv("STOCKADE_HOME");
        return Path.of(home != null ? home : ".", "k8s", "examples", "tenant-a");
    }
}
