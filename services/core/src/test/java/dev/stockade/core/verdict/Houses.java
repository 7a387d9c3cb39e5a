package dev.stockade.core.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.DestinationPort;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.NamespacedPod;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.ProtocolSpec;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.policy.ClusterPolicyValidation;
import dev.stockade.core.policy.ClusterPolicyValidator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our own fixture for ClusterNetworkPolicy scenarios (the shape of upstream's conformance setup,
 * written here): four namespaces {@code gryffindor}, {@code slytherin}, {@code hufflepuff},
 * {@code ravenclaw}, each labelled {@code house=<name>}, each with pods {@code p0} (node-a) and
 * {@code p1} (node-b) that declare the named ports {@code web} (80/TCP) and {@code dns} (53/UDP).
 * Pod {@code <ns>/pN} has IP {@code 10.1.<namespace index>.<10 + N>}.
 *
 * <p>Given/when/then: build with {@link #houses()}, add ClusterNetworkPolicies and v1 policies,
 * then ask {@link #allowed} or {@link #explain}. ClusterNetworkPolicies are replaced by name.
 *
 * <p>Every event also goes through the incremental {@link Engine}, and {@link #expect} holds the
 * verdict and walk judged from the engine's node rule sets alone ({@link CompiledTierEvaluator}, as
 * the dataplane judges) to the reference {@link TierEvaluator}'s.
 */
final class Houses {

    static final List<String> NAMESPACES = List.of("gryffindor", "slytherin", "hufflepuff", "ravenclaw");

    private final ClusterState state = new ClusterState();
    private final Engine engine = new Engine();
    private final Map<String, ClusterNetworkPolicyInfo> clusterPolicies = new LinkedHashMap<>();

    static Houses houses() {
        Houses houses = new Houses();
        for (int n = 0; n < NAMESPACES.size(); n++) {
            String namespace = NAMESPACES.get(n);
            houses.apply(new NamespaceInfo(namespace, Map.of("house", namespace), null));
            for (int p = 0; p < 2; p++) {
                houses.apply(new PodInfo(namespace, "p" + p, Map.of("house", namespace), p == 0 ? "node-a" : "node-b",
                        List.of(ip(namespace, p)), List.of(new ContainerPort("web", 80, Protocol.TCP),
                        new ContainerPort("dns", 53, Protocol.UDP))));
            }
        }
        return houses;
    }

    static String ip(String namespace, int pod) {
        return "10.1." + NAMESPACES.indexOf(namespace) + "." + (10 + pod);
    }

    /** Adds or replaces (by name) a ClusterNetworkPolicy; it must be in force (valid, or failing closed). */
    Houses with(ClusterNetworkPolicyInfo policy) {
        ClusterPolicyValidation validation = ClusterPolicyValidator.validate(policy);
        assertTrue(validation.inForce(), () -> "fixture policy " + policy.name() + " is invalid: " + validation.rejections());
        clusterPolicies.put(policy.name(), policy);
        event(ResourceEvent.added(policy));
        return this;
    }

    /** Applies an event-less upsert of a namespace, pod or v1/2016 policy. */
    Houses apply(Resource resource) {
        event(ResourceEvent.added(resource));
        return this;
    }

    Houses delete(Resource resource) {
        event(ResourceEvent.deleted(resource));
        return this;
    }

    private void event(ResourceEvent event) {
        state.apply(event);
        engine.apply(event);
    }

    Houses relabelNamespace(String namespace, String house) {
        return apply(new NamespaceInfo(namespace, Map.of("house", house), null));
    }

    ClusterNetworkPolicyInfo policy(String name) {
        return clusterPolicies.get(name);
    }

    TierEvaluator evaluator() {
        CompiledCluster compiled = Compiler.compile(state);
        return new TierEvaluator(state, state.clusterPolicies(), new VerdictEvaluator(compiled::ruleSetFor));
    }

    /** {@code from} and {@code to} are {@code ns/pod}, {@code probe} like {@code 80/TCP}. */
    TieredExplanation explain(String from, String to, String probe) {
        return evaluator().explain(endpoint(from), endpoint(to), Probe.of(probe));
    }

    boolean allowed(String from, String to, String probe) {
        return explain(from, to, probe).allowed();
    }

    /** The walk judged from the incremental engine's node rule sets alone. */
    TieredExplanation explainCompiled(String from, String to, String probe) {
        return new CompiledTierEvaluator(engine::ruleSet).explain(endpoint(from), endpoint(to), Probe.of(probe));
    }

    void expect(boolean allowed, String from, String to, String... probes) {
        for (String probe : probes) {
            TieredExplanation explanation = explain(from, to, probe);
            assertEquals(allowed, explanation.allowed(), () -> explanation.text());
            TieredExplanation compiled = explainCompiled(from, to, probe);
            assertEquals(TierWalks.shape(explanation), TierWalks.shape(compiled),
                    () -> "node rule sets disagree with the reference:\n" + explanation.text() + compiled.text());
        }
    }

    VerdictEvaluator networkPoliciesOnly() {
        return new VerdictEvaluator(Compiler.compile(state)::ruleSetFor);
    }

    ClusterState state() {
        return state;
    }

    Endpoint endpoint(String pod) {
        return Endpoint.of(state.pods().get(pod)).orElseThrow();
    }

    // ---- ClusterNetworkPolicy builders ----

    static ClusterNetworkPolicyInfo cnp(String name, String tier, int priority, Subject subject, List<IngressRule> ingress,
                                        List<EgressRule> egress) {
        return new ClusterNetworkPolicyInfo(name, tier, priority, subject, ingress, egress);
    }

    /** The namespace by its implicit name label, as upstream's fixtures select them. */
    static LabelSelectorSpec namespaceNamed(String namespace) {
        return LabelSelectorSpec.ofLabels(Map.of(NamespaceInfo.NAME_LABEL, namespace));
    }

    static LabelSelectorSpec house(String house) {
        return LabelSelectorSpec.ofLabels(Map.of("house", house));
    }

    static Subject subjectNamespace(String namespace) {
        return new Subject(namespaceNamed(namespace), null);
    }

    /** Pods labelled {@code house=<house>} in namespaces labelled {@code house=<house>}. */
    static Subject subjectPods(String house) {
        return new Subject(null, new NamespacedPod(house(house), house(house)));
    }

    static IngressRule in(String action, String fromNamespace, ProtocolSpec... protocols) {
        return new IngressRule(null, action, List.of(new IngressPeer(namespaceNamed(fromNamespace), null)),
                protocols.length == 0 ? null : Arrays.asList(protocols));
    }

    static IngressRule inFromPods(String action, String house) {
        return new IngressRule(null, action, List.of(new IngressPeer(null, new NamespacedPod(house(house), house(house)))),
                null);
    }

    static EgressRule out(String action, String toNamespace, ProtocolSpec... protocols) {
        return new EgressRule(null, action, List.of(new EgressPeer(namespaceNamed(toNamespace), null, null)),
                protocols.length == 0 ? null : Arrays.asList(protocols));
    }

    static EgressRule outToPods(String action, String house) {
        return new EgressRule(null, action, List.of(new EgressPeer(null, new NamespacedPod(house(house), house(house)),
                null)), null);
    }

    static EgressRule outToNetworks(String action, String... cidrs) {
        return new EgressRule(null, action, List.of(new EgressPeer(null, null, List.of(cidrs))), null);
    }

    /** {@code 80/TCP} as a protocols entry. */
    static ProtocolSpec port(String probe) {
        Probe parsed = Probe.of(probe);
        DestinationPort port = DestinationPort.number(parsed.port());
        return switch (parsed.protocol()) {
            case TCP -> ProtocolSpec.tcp(port);
            case UDP -> ProtocolSpec.udp(port);
            case SCTP -> ProtocolSpec.sctp(port);
        };
    }

    static <T> List<T> swap(List<T> rules, int i, int j) {
        List<T> swapped = new ArrayList<>(rules);
        T first = swapped.get(i);
        swapped.set(i, swapped.get(j));
        swapped.set(j, first);
        return swapped;
    }

    static <T> List<T> replace(List<T> rules, int i, T rule) {
        List<T> replaced = new ArrayList<>(rules);
        replaced.set(i, rule);
        return replaced;
    }
}
