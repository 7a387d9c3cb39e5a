package dev.stockade.cli;

import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.ResourceKind;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.verdict.RuleRef;
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
        Probe parsed = Probe.of(probe);
        if (!"json".equals(output) && !"text".equals(output)) {
            throw new IllegalArgumentException("unknown output '" + output + "' (text or json)");
        }
        ClusterLoader.Loaded loaded = cluster.load(System.err);
        List<Endpoint> endpoints = Matrix.endpoints(loaded.engine().state());
        List<Matrix.NotEnforced> unenforced = Matrix.notEnforced(loaded.engine().state()).stream()
                .filter(pod -> pod.pod().equals(from) || pod.pod().equals(to)).toList();
        if (!unenforced.isEmpty()) {
            return notEnforced(unenforced, parsed, loaded);
        }
        Explanation explanation = new VerdictEvaluator(loaded.agents()::ruleSet)
                .explain(endpoint(endpoints, from), endpoint(endpoints, to), parsed);
        List<String> ignored = rejectedPoliciesInvolved(loaded.leftOut().rejections(), explanation);
        PrintWriter out = spec.commandLine().getOut();
        if ("json".equals(output)) {
            out.println(CoreJson.json().writeValueAsString(new ExplanationView(explanation, ignored)));
        } else {
            ignored.forEach(line -> out.println("! " + line));
            out.print(text(explanation));
        }
        out.flush();
        return ClusterOptions.exitCode(loaded, System.err);
    }

    /** No verdict where no node enforces one: the pair is "not enforced", with the reason per pod. */
    private int notEnforced(List<Matrix.NotEnforced> pods, Probe parsed, ClusterLoader.Loaded loaded) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ("json".equals(output)) {
            out.println(CoreJson.json().writeValueAsString(new NotEnforcedView(from, to, parsed.toString(), pods)));
        } else {
            out.println(from + " -> " + to + " " + parsed + ": NOT ENFORCED (no node holds a verdict for this pair)");
            pods.forEach(pod -> out.println("  " + pod.pod() + ": " + pod.reason()));
        }
        out.flush();
        return ClusterOptions.exitCode(loaded, System.err);
    }

    /** The JSON form of a pair no node enforces for. */
    record NotEnforcedView(String from, String to, String probe, List<Matrix.NotEnforced> notEnforced) {
    }

    /** One line, without the usage: the pod is the input's problem, not the command line's. */
    private static Endpoint endpoint(List<Endpoint> endpoints, String pod) {
        return endpoints.stream().filter(e -> e.pod().equals(pod)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no pod '" + pod + "' with an IP in the cluster"));
    }

    /**
     * Rejected policies and namespaces of the two pods' namespaces, each as "... was rejected:
     * reason — the verdict below ignores it" (a namespace read failing closed says so instead).
     */
    static List<String> rejectedPoliciesInvolved(List<Rejection> rejections, Explanation explanation) {
        List<String> namespaces = List.of(namespaceOf(explanation.from()), namespaceOf(explanation.to()));
        return rejections.stream().filter(rejection -> {
            ResourceKind kind = rejection.object().kind();
            String namespace = kind == ResourceKind.NAMESPACE ? rejection.object().name() : rejection.object().namespace();
            return kind != ResourceKind.POD && kind != ResourceKind.NODE && namespaces.contains(namespace);
        }).map(rejection -> rejection.object() + " was rejected at " + (rejection.field().isEmpty() ? "(object)"
                : rejection.field()) + ": " + rejection.reason() + " — the verdict below "
                + (rejection.reason().contains("fail closed") ? "reads it failing closed" : "ignores it"))
                .distinct().toList();
    }

    private static String namespaceOf(String pod) {
        int slash = pod.indexOf('/');
        return slash < 0 ? "" : pod.substring(0, slash);
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

    /**
     * The JSON form: the explanation, the overall verdict and the rejected objects of the pods'
     * namespaces that the verdict ignores. Every field is named here (core types have accessors
     * such as {@code isolated()} that Jackson would otherwise read as a property "olated").
     */
    record ExplanationView(String from, String to, String probe, boolean allowed, SideView egress,
                           SideView ingress, List<String> rejected) {
        ExplanationView(Explanation explanation, List<String> rejected) {
            this(explanation.from(), explanation.to(), explanation.probe().toString(), explanation.allowed(),
                    new SideView(explanation.egress()), new SideView(explanation.ingress()), rejected);
        }
    }

    /** One side's decision in the JSON form. */
    record SideView(Direction direction, String node, boolean isolated, List<PolicyRef> isolatedBy, boolean allowed,
                    List<RuleRef> allowedBy) {
        SideView(SideDecision side) {
            this(side.direction(), side.node(), side.isolated(), side.isolatedBy(), side.allowed(), side.allowedBy());
        }
    }
}
