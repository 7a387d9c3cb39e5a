package dev.stockade.core.policy;

import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressPeer;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.NamespacedPod;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import dev.stockade.core.model.LabelSelectorSpec;
import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns a {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy into a
 * {@link ClusterPolicyDefinition}, applying upstream's CRD validation (standard channel, plus the
 * experimental channel's rule against named ports towards networks). Every rejection names the
 * field; the sources of the rules are listed in {@code services/core/CLUSTER-NETWORK-POLICY.md}.
 *
 * <p>Peers Stockade cannot interpret (no known field set, or the experimental {@code nodes} and
 * {@code domainNames}) are not rejections of the object: upstream says what to do with them ("For
 * Accept rules, fail closed means: treat the rule as matching no traffic. For Deny and Pass rules,
 * fail closed means: treat the rule as a 'Deny all' rule"), and the validation says so per field.
 */
public final class ClusterPolicyValidator {

    static final int MAX_RULES = 25;
    static final int MAX_PEERS = 25;
    static final int MAX_PROTOCOLS = 25;
    static final int MAX_NETWORKS = 25;
    static final int MAX_RULE_NAME = 100;
    static final int MIN_PRIORITY = 0;
    static final int MAX_PRIORITY = 1000;

    private ClusterPolicyValidator() {
    }

    /** Validates one ClusterNetworkPolicy. */
    public static ClusterPolicyValidation validate(ClusterNetworkPolicyInfo policy) {
        Problems problems = new Problems(policy.name() == null ? "" : policy.name());
        if (policy.name() == null || policy.name().isEmpty()) {
            problems.reject("metadata.name", "a ClusterNetworkPolicy needs a name");
        }
        Tier tier = tier(policy.tier(), problems);
        Integer priority = priority(policy.priority(), problems);
        PodSelection subject = subject(policy.subject(), problems);
        List<ClusterRule> ingress = ingress(policy.ingress(), problems);
        List<ClusterRule> egress = egress(policy.egress(), problems);
        if (problems.invalid) {
            return new ClusterPolicyValidation(Optional.empty(), problems.found);
        }
        return new ClusterPolicyValidation(Optional.of(new ClusterPolicyDefinition(policy.name(), tier, priority,
                subject, ingress, egress)), problems.found);
    }

    private static Tier tier(String text, Problems problems) {
        if (text == null) {
            problems.reject("spec.tier", "required (Admin or Baseline)");
            return null;
        }
        Optional<Tier> tier = Tier.parse(text);
        if (tier.isEmpty()) {
            problems.reject("spec.tier", "unsupported value '" + text + "' (expected Admin or Baseline)");
        }
        return tier.orElse(null);
    }

    private static Integer priority(Integer priority, Problems problems) {
        if (priority == null) {
            problems.reject("spec.priority", "required (" + MIN_PRIORITY + "-" + MAX_PRIORITY + ", lower first)");
        } else if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            problems.reject("spec.priority", priority + " is outside " + MIN_PRIORITY + "-" + MAX_PRIORITY);
        }
        return priority;
    }

    /** "Exactly one field must be set." Host-networked pods are never selected (they have no address of their own). */
    private static PodSelection subject(Subject subject, Problems problems) {
        if (subject == null) {
            problems.reject("spec.subject", "required: set namespaces or pods");
            return null;
        }
        if ((subject.namespaces() == null) == (subject.pods() == null)) {
            problems.reject("spec.subject", "exactly one of namespaces or pods must be set");
            return null;
        }
        return subject.namespaces() != null ? namespaces(subject.namespaces(), "spec.subject.namespaces", problems)
                : namespacedPod(subject.pods(), "spec.subject.pods", problems);
    }

    private static PodSelection namespaces(LabelSelectorSpec namespaces, String at, Problems problems) {
        Selector selector = SelectorParser.parse(namespaces, at, problems);
        return selector == null ? null : new PodSelection.AcrossNamespaces(selector, Selector.ALL);
    }

    private static PodSelection namespacedPod(NamespacedPod pods, String at, Problems problems) {
        if (pods.podSelector() == null) {
            problems.reject(at + ".podSelector", "required (write {} to select every pod)");
            return null;
        }
        Selector namespaces = pods.namespaceSelector() == null ? Selector.ALL
                : SelectorParser.parse(pods.namespaceSelector(), at + ".namespaceSelector", problems);
        Selector selected = SelectorParser.parse(pods.podSelector(), at + ".podSelector", problems);
        return namespaces == null || selected == null ? null : new PodSelection.AcrossNamespaces(namespaces, selected);
    }

    private static List<ClusterRule> ingress(List<IngressRule> rules, Problems problems) {
        atMost(rules.size(), MAX_RULES, "spec.ingress", "rules", problems);
        List<ClusterRule> valid = new ArrayList<>();
        for (int index = 0; index < rules.size(); index++) {
            IngressRule rule = rules.get(index);
            String at = "spec.ingress[" + index + "]";
            RuleAction action = ruleHead(rule.name(), rule.action(), at, problems);
            List<PortMatch> ports = Protocols.parse(rule.protocols(), at + ".protocols", problems);
            Peers peers = new Peers();
            if (listSize(rule.from(), at + ".from", MAX_PEERS, "peers", problems)) {
                for (int p = 0; p < rule.from().size(); p++) {
                    ingressPeer(rule.from().get(p), at + ".from[" + p + "]", problems, peers);
                }
            }
            valid.add(peers.rule(Direction.INGRESS, index, rule.name(), action, ports, problems));
        }
        return valid;
    }

    private static List<ClusterRule> egress(List<EgressRule> rules, Problems problems) {
        atMost(rules.size(), MAX_RULES, "spec.egress", "rules", problems);
        List<ClusterRule> valid = new ArrayList<>();
        for (int index = 0; index < rules.size(); index++) {
            EgressRule rule = rules.get(index);
            String at = "spec.egress[" + index + "]";
            RuleAction action = ruleHead(rule.name(), rule.action(), at, problems);
            List<PortMatch> ports = Protocols.parse(rule.protocols(), at + ".protocols", problems);
            Peers peers = new Peers();
            if (listSize(rule.to(), at + ".to", MAX_PEERS, "peers", problems)) {
                for (int p = 0; p < rule.to().size(); p++) {
                    egressPeer(rule.to().get(p), at + ".to[" + p + "]", problems, peers);
                }
                namedPortsOnlyTowardsPods(rule, at, problems);
            }
            valid.add(peers.rule(Direction.EGRESS, index, rule.name(), action, ports, problems));
        }
        return valid;
    }

    /** The rule's {@code name} (at most 100 characters) and {@code action}; the action, null when invalid. */
    private static RuleAction ruleHead(String name, String action, String at, Problems problems) {
        if (name != null && name.length() > MAX_RULE_NAME) {
            problems.reject(at + ".name", "at most " + MAX_RULE_NAME + " characters (has " + name.length() + ")");
        }
        if (action == null) {
            problems.reject(at + ".action", "required (Accept, Deny or Pass)");
            return null;
        }
        Optional<RuleAction> parsed = RuleAction.parse(action);
        if (parsed.isEmpty()) {
            problems.reject(at + ".action", "unsupported value '" + action + "' (expected Accept, Deny or Pass)");
        }
        return parsed.orElse(null);
    }

    private static void ingressPeer(IngressPeer peer, String at, Problems problems, Peers into) {
        long set = Stream.of(peer.namespaces(), peer.pods()).filter(field -> field != null).count();
        if (set > 1) {
            problems.reject(at, "exactly one of namespaces or pods may be set");
        } else if (set == 0) {
            into.unknown(at, "no field of the peer is set (namespaces or pods; an unknown field of a newer CRD?)");
        } else {
            into.pod(peer.namespaces() != null ? namespaces(peer.namespaces(), at + ".namespaces", problems)
                    : namespacedPod(peer.pods(), at + ".pods", problems));
        }
    }

    private static void egressPeer(EgressPeer peer, String at, Problems problems, Peers into) {
        long set = Stream.of(peer.namespaces(), peer.pods(), peer.networks(), peer.nodes(), peer.domainNames())
                .filter(field -> field != null).count();
        if (set > 1) {
            problems.reject(at, "exactly one of namespaces, pods, networks, nodes or domainNames may be set");
        } else if (set == 0) {
            into.unknown(at, "no field of the peer is set (namespaces, pods or networks; an unknown field of a newer CRD?)");
        } else if (peer.namespaces() != null) {
            into.pod(namespaces(peer.namespaces(), at + ".namespaces", problems));
        } else if (peer.pods() != null) {
            into.pod(namespacedPod(peer.pods(), at + ".pods", problems));
        } else if (peer.networks() != null) {
            Networks.parse(peer.networks(), at + ".networks", problems).forEach(into.networks::add);
        } else {
            String field = peer.nodes() != null ? "nodes" : "domainNames";
            into.unknown(at + "." + field, field + " peers (experimental channel) are not implemented by Stockade");
        }
    }

    /**
     * The experimental channel's rule on egress rules (also what the API comment says in the
     * standard channel: "You can't use this in a rule that targets resources without named ports
     * (e.g. Nodes or Networks)").
     */
    private static void namedPortsOnlyTowardsPods(EgressRule rule, String at, Problems problems) {
        boolean addressPeer = rule.to().stream().anyMatch(peer -> peer.networks() != null || peer.nodes() != null
                || peer.domainNames() != null);
        boolean namedPort = rule.protocols() != null && rule.protocols().stream()
                .anyMatch(protocol -> protocol != null && protocol.destinationNamedPort() != null);
        if (addressPeer && namedPort) {
            problems.reject(at, "networks/nodes/domainNames peer cannot be set with destinationNamedPort:"
                    + " only pods have named ports");
        }
    }

    /** False (after rejecting) when a required 1..max list is absent, empty or too long. */
    static boolean listSize(List<?> list, String at, int max, String what, FieldProblems problems) {
        if (list == null) {
            problems.reject(at, "required: at least one of the " + what);
            return false;
        }
        if (list.isEmpty()) {
            problems.reject(at, "must have at least one of the " + what);
            return false;
        }
        return atMost(list.size(), max, at, what, problems);
    }

    static boolean atMost(int size, int max, String at, String what, FieldProblems problems) {
        if (size > max) {
            problems.reject(at, "at most " + max + " " + what + " (has " + size + ")");
            return false;
        }
        return true;
    }

    /** The peers of one rule as they are read, including those Stockade cannot interpret. */
    private static final class Peers {
        private final List<PodSelection> pods = new ArrayList<>();
        private final List<Cidr> networks = new ArrayList<>();
        private final List<String> unknown = new ArrayList<>();

        void pod(PodSelection selection) {
            if (selection != null) {
                pods.add(selection);
            }
        }

        void unknown(String at, String why) {
            unknown.add(at + ": " + why);
        }

        /**
         * The rule; an unknown peer makes an Accept rule's peer match nothing and a Deny or Pass
         * rule "Deny all" (upstream's fail-closed reading), each noted on the peer's field.
         */
        ClusterRule rule(Direction direction, int index, String name, RuleAction action, List<PortMatch> ports,
                         Problems problems) {
            if (unknown.isEmpty() || action == null) {
                return new ClusterRule(direction, index, name, action, false, pods, networks, ports, null);
            }
            for (String entry : unknown) {
                int colon = entry.indexOf(": ");
                problems.failClosed(entry.substring(0, colon), entry.substring(colon + 2) + "; "
                        + (action == RuleAction.ACCEPT ? "the Accept rule treats this peer as matching no traffic"
                        : "the " + action + " rule is treated as 'Deny all'") + " (fail closed, as upstream prescribes)");
            }
            if (action == RuleAction.ACCEPT) {
                return new ClusterRule(direction, index, name, action, false, pods, networks, ports, null);
            }
            return new ClusterRule(direction, index, name, RuleAction.DENY, true, List.of(), List.of(),
                    List.of(), String.join("; ", unknown));
        }
    }

    /** Rejections and fail-closed notes of one policy. */
    static final class Problems implements FieldProblems {
        private final ObjectRef policy;
        private final List<Rejection> found = new ArrayList<>();
        private boolean invalid;

        Problems(String name) {
            this.policy = new ObjectRef(ResourceKind.CLUSTER_NETWORK_POLICY, "", name);
        }

        @Override
        public void reject(String field, String reason) {
            invalid = true;
            found.add(new Rejection(policy, field, reason));
        }

        void failClosed(String field, String reason) {
            found.add(new Rejection(policy, field, reason));
        }
    }
}
