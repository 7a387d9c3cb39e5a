package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.PolicyRef;
import java.util.List;
import java.util.Optional;

/**
 * The nft {@code log prefix} of a pod chain's default-deny rule, and its parser, so that a kernel
 * log line says which pod's isolation dropped a new connection and because of which policy.
 *
 * <p>Form: {@code stockade-deny <in|eg> <ns/pod> <kind>:<ns/name>[+N] } where the policy is the
 * first (sorted) policy isolating the pod in that direction and {@code +N} counts the others (the
 * agent knows them from its rule set). Kinds: {@code np} NetworkPolicy, {@code iso} a namespace's
 * 2016 isolation annotation, {@code legacy} a 2016 policy, {@code cnp-admin} and {@code cnp-baseline}
 * a ClusterNetworkPolicy of that tier (cluster-scoped, so {@code cnp-admin:/name}).
 *
 * <p>A ClusterNetworkPolicy's Deny rule logs {@code stockade-deny <in|eg> <ns/pod> <kind>:/<name> <rule> }
 * with the rule as {@code ingress[2]} or {@code egress[0]}: tier (the kind), policy and rule. The kernel
 * keeps at most 127 bytes of prefix; longer parts are cut.
 */
public final class DenyLogPrefix {

    /** Every Stockade deny log line starts with this. */
    public static final String TAG = "stockade-deny";
    private static final int MAX_LENGTH = 127;

    /**
     * What a log line attributes a drop to. {@code others} counts further isolating policies;
     * {@code rule} is the ClusterNetworkPolicy rule that denied ({@code ingress[0]}), null for a pod
     * chain's default deny.
     */
    public record Attribution(boolean ingress, String pod, String policyKind, String policy, int others, String rule) {

        /** A pod chain's default deny (no rule). */
        public Attribution(boolean ingress, String pod, String policyKind, String policy, int others) {
            this(ingress, pod, policyKind, policy, others, null);
        }
    }

    private DenyLogPrefix() {
    }

    /** The prefix for a pod chain; {@code isolatedBy} is sorted and non-empty. */
    public static String format(boolean ingress, String podKey, List<PolicyRef> isolatedBy) {
        PolicyRef first = isolatedBy.get(0);
        String others = isolatedBy.size() > 1 ? "+" + (isolatedBy.size() - 1) : "";
        String text = TAG + " " + (ingress ? "in" : "eg") + " " + podKey + " " + kind(first.kind()) + ":"
                + first.namespace() + "/" + first.name() + others;
        return (text.length() > MAX_LENGTH - 1 ? text.substring(0, MAX_LENGTH - 1) : text) + " ";
    }

    /** The prefix of a ClusterNetworkPolicy Deny rule in a pod's tier chain. */
    public static String formatRule(boolean ingress, String podKey, PolicyRef policy, CompiledRule rule) {
        String position = (rule.direction() == Direction.INGRESS ? "ingress" : "egress") + "[" + rule.index() + "]";
        String text = TAG + " " + (ingress ? "in" : "eg") + " " + podKey + " " + kind(policy.kind()) + ":"
                + policy.namespace() + "/" + policy.name() + " " + position;
        return (text.length() > MAX_LENGTH - 1 ? text.substring(0, MAX_LENGTH - 1) : text) + " ";
    }

    /** Reads a kernel log line (anything before the prefix is ignored); empty when it is not ours. */
    public static Optional<Attribution> parse(String line) {
        int start = line.indexOf(TAG + " ");
        if (start < 0) {
            return Optional.empty();
        }
        String[] words = line.substring(start).split(" ");
        if (words.length < 4 || !(words[1].equals("in") || words[1].equals("eg")) || words[3].indexOf(':') < 0) {
            return Optional.empty();
        }
        String attributed = words[3];
        int plus = attributed.lastIndexOf('+');
        int others = plus > 0 ? Integer.parseInt(attributed.substring(plus + 1)) : 0;
        String policy = plus > 0 ? attributed.substring(0, plus) : attributed;
        int colon = policy.indexOf(':');
        String rule = words.length > 4 && words[4].matches("(ingress|egress)\\[[0-9]+]") ? words[4] : null;
        return Optional.of(new Attribution(words[1].equals("in"), words[2], policy.substring(0, colon),
                policy.substring(colon + 1), others, rule));
    }

    private static String kind(PolicyKind kind) {
        return switch (kind) {
            case NetworkPolicy -> "np";
            case NamespaceIsolation -> "iso";
            case LegacyNetworkPolicy -> "legacy";
            case AdminClusterNetworkPolicy -> "cnp-admin";
            case BaselineClusterNetworkPolicy -> "cnp-baseline";
        };
    }
}
