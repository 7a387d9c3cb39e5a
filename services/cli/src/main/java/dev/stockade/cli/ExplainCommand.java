package dev.stockade.cli;

import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Explanation;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.SideDecision;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.kube.ClusterLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stockade explain}: one verdict and why. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "The verdict for one pod pair and probe, and which policies and rules decided it.")
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--from", required = true, paramLabel = "NS/POD", description = "Source pod.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NS/POD", description = "Destination pod.")
    String to;

    @Option(names = "--probe", required = true, paramLabel = "PORT/PROTO", description = "e.g. 80/TCP.")
    String probe;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (default) or json.")
    String output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Probe parsed = Probe.parse(probe).orElseThrow(
                () -> new ParameterException(spec.commandLine(), "'" + probe + "' is not a probe like 80/TCP"));
        ClusterLoader.Loaded loaded = cluster.load(System.err);
        List<Endpoint> endpoints = Matrix.endpoints(loaded.engine().state());
        Explanation explanation = new VerdictEvaluator(loaded.agents()::ruleSet)
                .explain(endpoint(endpoints, from), endpoint(endpoints, to), parsed);
        PrintWriter out = spec.commandLine().getOut();
        if ("json".equals(output)) {
            out.println(CoreJson.json().writeValueAsString(new ExplanationView(explanation)));
        } else {
            out.print(text(explanation));
        }
        out.flush();
        return 0;
    }

    private Endpoint endpoint(List<Endpoint> endpoints, String pod) {
        return endpoints.stream().filter(e -> e.pod().equals(pod)).findFirst().orElseThrow(() ->
                new ParameterException(spec.commandLine(), "no pod '" + pod + "' with an IP in the cluster"));
    }

    static String text(Explanation explanation) {
        return explanation.from() + " -> " + explanation.to() + " " + explanation.probe() + ": "
                + (explanation.allowed() ? "ALLOWED" : "DENIED") + "\n"
                + side("egress", explanation.from(), explanation.egress())
                + side("ingress", explanation.to(), explanation.ingress());
    }

    private static String side(String name, String pod, SideDecision side) {
        String where = "  " + name + " of " + pod + " (node " + side.node() + "): ";
        if (!side.isolated()) {
            return where + "not isolated for " + name + " -> allowed\n";
        }
        String isolatedBy = side.isolatedBy().stream().map(Object::toString).collect(Collectors.joining(", "));
        if (side.allowedBy().isEmpty()) {
            return where + "isolated by " + isolatedBy + "; no " + name + " rule matches -> denied\n";
        }
        String rules = side.allowedBy().stream().map(Object::toString).collect(Collectors.joining(", "));
        return where + "isolated by " + isolatedBy + "; allowed by " + rules + "\n";
    }

    /** The JSON form: the explanation plus the overall verdict. */
    record ExplanationView(String from, String to, String probe, boolean allowed, SideDecision egress,
                           SideDecision ingress) {
        ExplanationView(Explanation explanation) {
            this(explanation.from(), explanation.to(), explanation.probe().toString(), explanation.allowed(),
                    explanation.egress(), explanation.ingress());
        }
    }
}
