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
import dev.stockade.core.verdict.TierEvaluator;
import dev.stockade.core.verdict.TierWalk;
import dev.stockade.core.verdict.TieredExplanation;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.kube.ClusterLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stockade explain}: one verdict and why. Without ClusterNetworkPolicies, the NetworkPolicy
 * decision of each side; with them, the walk through the tiers of each direction
 * ({@link ClusterPolicies}).
 */
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
        VerdictEvaluator networkPolicies = new VerdictEvaluator(loaded.agents()::ruleSet);
        Endpoint source = endpoint(endpoints, from);
        Endpoint destination = endpoint(endpoints, to);
        Explanation explanation = networkPolicies.explain(source, destination, parsed);
        List<String> ignored = rejectedPoliciesInvolved(loaded.leftOut().rejections(), explanation);
        Optional<TierEvaluator> tiers = ClusterPolicies.tiers(loaded.engine().state(), networkPolicies);
        if (tiers.isPresent()) {
            ClusterPolicies.evaluatedNote("explain", loaded.engine().state()).ifPresent(System.err::println);
            return tiered(tiers.get().explain(source, destination, parsed), explanation, ignored, loaded);
        }
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

    /**
     * With ClusterNetworkPolicies in force: the verdict of the tier walk and, per direction, the walk
     * ({@link TieredExplanation#text()}: {@code [Admin] ... → [NetworkPolicy] ... → [Baseline] ...}).
     */
    private int tiered(TieredExplanation walk, Explanation networkPolicyTier, List<String> ignored,
                       ClusterLoader.Loaded loaded) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ("json".equals(output)) {
            out.println(CoreJson.json().writeValueAsString(new TieredView(walk, networkPolicyTier, ignored)));
        } else {
            ignored.forEach(line -> out.println("! " + line));
            out.print(walk.text());
        }
        out.flush();
        return ClusterOptions.exitCode(loaded, System.err);
    }

    /**
     * The JSON form with ClusterNetworkPolicies: the overall verdict, each direction's walk as text
     * and whether it allows, and the NetworkPolicy tier's own decision per side (as without tiers).
     */
    record TieredView(String from, String to, String probe, boolean allowed, WalkView egress, WalkView ingress,
                      SideView egressNetworkPolicyTier, SideView ingressNetworkPolicyTier, List<String> rejected) {
        TieredView(TieredExplanation walk, Explanation networkPolicyTier, List<String> rejected) {
            this(walk.from(), walk.to(), walk.probe().toString(), walk.allowed(), new WalkView(walk.egress()),
                    new WalkView(walk.ingress()), new SideView(networkPolicyTier.egress()),
                    new SideView(networkPolicyTier.ingress()), rejected);
        }
    }

    /** One direction's walk through the tiers: the pod walked, the verdict, the steps as one line. */
    record WalkView(Direction direction, String pod, boolean allowed, String walk) {
        WalkView(TierWalk walk) {
            this(walk.direction(), walk.pod(), walk.allowed(), walk.text());
        }
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
     * Rejected ClusterNetworkPolicies (cluster-wide, so always involved) and rejected policies and
     * namespaces of the two pods' namespaces, each as "... was rejected:
     * reason — the verdict below ignores it" (a namespace read failing closed says so instead).
     */
    static List<String> rejectedPoliciesInvolved(List<Rejection> rejections, Explanation explanation) {
        List<String> namespaces = List.of(namespaceOf(explanation.from()), namespaceOf(explanation.to()));
        return rejections.stream().filter(rejection -> {
            ResourceKind kind = rejection.object().kind();
            String namespace = kind == ResourceKind.NAMESPACE ? rejection.object().name() : rejection.object().namespace();
            return kind == ResourceKind.CLUSTER_NETWORK_POLICY
                    || kind != ResourceKind.POD && kind != ResourceKind.NODE && namespaces.contains(namespace);
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
