package dev.stockade.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.verdict.Connectivity;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import dev.stockade.kube.ClusterLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stockade matrix}: the verdict for every ordered pair of pods with an IP (self pairs
 * included) and every probe, computed from the per-node rule sets agents would hold, walked through
 * the ClusterNetworkPolicy tiers when there are any ({@link ClusterPolicies}); or for the part of it
 * asked for ({@link MatrixSelection}). Stdout is exactly one JSON document (the contract
 * of {@code ../shared/conformance/README.md}), written as the verdicts are computed.
 */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = {"Connectivity of every pod pair for every probe, from the compiled per-node rules.",
            "On a big cluster ask for part of it: --namespace, --from, --to. A matrix over --max-cells cells"
                    + " is refused (exit 2) unless asked for with --max-cells 0."})
final class MatrixCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--probe", required = true, paramLabel = "PORT/PROTO,...",
            description = "Probes, e.g. 80/TCP,81/UDP,80/SCTP.")
    String probes;

    @Option(names = {"-o", "--output"}, defaultValue = "json", description = "json (default) or table.")
    String output;

    @Option(names = "--namespace", split = ",", paramLabel = "NS",
            description = "Only pods of these namespaces, as sources and destinations (comma-separated or repeated).")
    List<String> namespaces;

    @Option(names = "--from", split = ",", paramLabel = "NS[/POD]",
            description = "Only these sources: every pod of a namespace (NS) or one pod (NS/POD).")
    List<String> from;

    @Option(names = "--to", split = ",", paramLabel = "NS[/POD]",
            description = "Only these destinations: every pod of a namespace (NS) or one pod (NS/POD).")
    List<String> to;

    @Option(names = "--max-cells", defaultValue = "" + MatrixSelection.DEFAULT_MAX_CELLS, paramLabel = "N",
            description = "Refuse (exit 2) a matrix of more than N cells (sources x destinations x probes);"
                    + " 0 = no limit.")
    long maxCells;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Probe> parsedProbes = Probe.parseList(probes);
        MatrixSelection selection = new MatrixSelection(namespaces, from, to, maxCells);
        ClusterLoader.Loaded loaded = cluster.load(System.err);
        MatrixSelection.Axes axes = selection.axes(Matrix.endpoints(loaded.engine().state()));
        selection.checkSize(axes, parsedProbes.size());
        for (Matrix.NotEnforced pod : Matrix.notEnforced(loaded.engine().state())) {
            if (selection.mentions(pod.pod())) {
                System.err.println("note: " + pod.pod() + ": no verdict, not enforced: " + pod.reason());
            }
        }
        ClusterPolicies.evaluatedNote("matrix", loaded.engine().state()).ifPresent(System.err::println);
        Connectivity evaluator = ClusterPolicies.judge(loaded.engine().state(), loaded.agents()::ruleSet);
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case "json" -> writeJson(axes, parsedProbes, evaluator, out);
            case "table" -> out.print(MatrixTable.render(axes.sources(), axes.destinations(), parsedProbes,
                    verdicts(axes, parsedProbes, evaluator)));
            default -> throw new IllegalArgumentException("unknown output '" + output + "' (json or table)");
        }
        out.flush();
        return ClusterOptions.exitCode(loaded, System.err);
    }

    /** Every source, then every destination, then every probe: the order of {@link Matrix#compute}. */
    private static List<Verdict> verdicts(MatrixSelection.Axes axes, List<Probe> probes, Connectivity evaluator) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Endpoint from : axes.sources()) {
            for (Endpoint to : axes.destinations()) {
                for (Probe probe : probes) {
                    verdicts.add(new Verdict(from.pod(), to.pod(), probe.protocol(), probe.port(),
                            evaluator.allowed(from, to, probe)));
                }
            }
        }
        return verdicts;
    }

    /** The document of {@link #document}, written verdict by verdict as each is computed, then a newline. */
    private static void writeJson(MatrixSelection.Axes axes, List<Probe> probes, Connectivity evaluator,
                                  PrintWriter out) throws IOException {
        try (JsonGenerator json = CoreJson.compactJson().getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.writeStartObject();
            json.writeArrayFieldStart("verdicts");
            for (Endpoint from : axes.sources()) {
                for (Endpoint to : axes.destinations()) {
                    for (Probe probe : probes) {
                        json.writeStartObject();
                        json.writeStringField("from", from.pod());
                        json.writeStringField("to", to.pod());
                        json.writeStringField("protocol", probe.protocol().name());
                        json.writeNumberField("port", probe.port());
                        json.writeBooleanField("allowed", evaluator.allowed(from, to, probe));
                        json.writeEndObject();
                    }
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.println();
    }

    /** {@code {"verdicts":[{"from","to","protocol","port","allowed"}]}} in that field order. */
    static ObjectNode document(List<Verdict> verdicts) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode array = root.putArray("verdicts");
        for (Verdict verdict : verdicts) {
            array.addObject().put("from", verdict.from()).put("to", verdict.to())
                    .put("protocol", verdict.protocol().name()).put("port", verdict.port())
                    .put("allowed", verdict.allowed());
        }
        return root;
    }
}
