package dev.stockade.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.demo.EmbeddedSystem;
import dev.stockade.kube.ClusterLoader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stockade demo [DIR]}: the whole system on this machine — a real local Kafka broker (KRaft),
 * the listener reading DIR as its cluster, the compiler with its Infinispan member, a dispatcher
 * per node pool and an agent per node — printing the per-node deltas as they are committed and,
 * once every agent has applied them, the rules and the connectivity matrix computed from what the
 * agents hold. Edits to DIR flow through as events; Ctrl-C stops everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole system locally on a directory of manifests (default: the 2016 tenant-a example).")
final class DemoCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Manifests that stand for the cluster.")
    Path directory;

    @Option(names = "--once", description = "Start, wait until converged, print the rules and the matrix as one JSON"
            + " document ({\"rules\":{...},\"verdicts\":[...]}), stop, exit 0.")
    boolean once;

    @Option(names = "--probe", defaultValue = "80/TCP", paramLabel = "PORT/PROTO,...", description = "Matrix probes.")
    String probes;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for convergence.")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        quietLogs();
        Path manifests = directory != null ? directory : defaultExample();
        if (!Files.isDirectory(manifests)) {
            throw new IllegalArgumentException(manifests + " is not a directory");
        }
        List<Probe> parsedProbes = Probe.parseList(probes);
        PrintWriter out = spec.commandLine().getOut();
        PrintStream progress = once ? System.err : new PrintStream(System.out, true);
        AtomicLong lastDelta = new AtomicLong();
        progress.println("stockade demo: starting a local Kafka broker, the listener on " + manifests
                + ", the compiler, a dispatcher per node pool and an agent per node");
        try (EmbeddedSystem system = EmbeddedSystem.start(manifests, delta -> {
            lastDelta.incrementAndGet();
            progress.println("  rules " + DeltaLine.describe(delta));
        })) {
            progress.println("  dispatchers " + system.dispatchers());
            if (!system.awaitConverged(Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(500))) {
                throw new IllegalStateException("the system did not converge within " + timeoutSeconds + " s");
            }
            if (once) {
                out.println(CoreJson.compactJson().writeValueAsString(document(system.ruleSets(),
                        verdicts(endpoints(manifests), system, parsedProbes))));
                out.flush();
                return 0;
            }
            interactive(manifests, system, parsedProbes, progress, lastDelta);
        }
        return 0;
    }

    /** Prints the rules and the matrix after every change until Ctrl-C. */
    private void interactive(Path manifests, EmbeddedSystem system, List<Probe> probes, PrintStream out,
                             AtomicLong deltas) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
        long shown = -1;
        while (stopped.getCount() > 0) {
            if (deltas.get() != shown && system.awaitConverged(Duration.ofSeconds(30), Duration.ofMillis(400))) {
                shown = deltas.get();
                List<Endpoint> endpoints = endpoints(manifests);
                out.print(CoreJson.yaml().writeValueAsString(system.ruleSets()));
                out.print(MatrixTable.render(endpoints, probes, verdicts(endpoints, system, probes)));
                out.println("Watching " + manifests + " — edit a manifest to see it flow through; Ctrl-C stops.");
            }
            stopped.await(300, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        out.println("stockade demo: stopping");
    }

    /** Pods with an IP, as the directory has them now. */
    private static List<Endpoint> endpoints(Path manifests) {
        return Matrix.endpoints(new ClusterLoader(w -> { }).load(manifests, null).engine().state());
    }

    /** The matrix from the rules the agents hold. */
    private static List<Verdict> verdicts(List<Endpoint> endpoints, EmbeddedSystem system, List<Probe> probes) {
        return Matrix.compute(endpoints, probes, new VerdictEvaluator(system::agentRuleSet));
    }

    private static ObjectNode document(SortedMap<String, NodeRuleSet> rules, List<Verdict> verdicts) {
        ObjectNode root = MatrixCommand.document(verdicts);
        ObjectNode withRules = root.objectNode();
        withRules.set("rules", CoreJson.compactJson().valueToTree(rules));
        withRules.setAll(root);
        return withRules;
    }

    /** The tenant-a example of the repository the launcher runs from (or the working directory). */
    private static Path defaultExample() {
        String home = System.getenv("STOCKADE_HOME");
        return Path.of(home != null ? home : ".", "k8s", "examples", "tenant-a");
    }

    /** Kafka, Infinispan and JGroups talk a lot at INFO; the demo shows Stockade's own output. */
    private static void quietLogs() {
        System.setProperty("org.jboss.logging.provider", "jdk");
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (var handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }
}
