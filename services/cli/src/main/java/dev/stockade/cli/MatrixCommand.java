package dev.stockade.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.kube.ClusterLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code stockade matrix}: the verdict for every ordered pair of pods with an IP (self pairs
 * included) and every probe, computed from the per-node rule sets agents would hold.
 * Stdout is exactly one JSON document (the contract of {@code ../shared/conformance/README.md}).
 */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = "Connectivity of every pod pair for every probe, from the compiled per-node rules.")
final class MatrixCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--probe", required = true, paramLabel = "PORT/PROTO,...",
            description = "Probes, e.g. 80/TCP,81/UDP,80/SCTP.")
    String probes;

    @Option(names = {"-o", "--output"}, defaultValue = "json", description = "json (default) or table.")
    String output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Probe> parsedProbes = Probe.parseList(probes);
        ClusterLoader.Loaded loaded = cluster.load(System.err);
        List<Endpoint> endpoints = Matrix.endpoints(loaded.engine().state());
        for (Matrix.NotEnforced pod : Matrix.notEnforced(loaded.engine().state())) {
            System.err.println("note: " + pod.pod() + ": no verdict, not enforced: " + pod.reason());
        }
        List<Verdict> verdicts = Matrix.compute(endpoints, parsedProbes, new VerdictEvaluator(loaded.agents()::ruleSet));
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case "json" -> out.println(CoreJson.compactJson().writeValueAsString(document(verdicts)));
            case "table" -> out.print(MatrixTable.render(endpoints, parsedProbes, verdicts));
            default -> throw new IllegalArgumentException("unknown output '" + output + "' (json or table)");
        }
        out.flush();
        return ClusterOptions.exitCode(loaded, System.err);
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
