package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.PolicyTier;
import dev.stockade.core.model.Protocol;
import java.util.regex.Pattern;

/**
 * Names of the table's chains, sets and maps. nft 1.0.6 rejects quoted chain names, so every name
 * is a bare identifier: letters, digits and {@code _ . - /}, starting with a letter. Readable parts
 * (pod keys, port names) are used as they are when they fit; anything else becomes a hash.
 *
 * <p>Layout of the names (the suffix {@code 4} or {@code 6} is the IP family):
 * <ul>
 *   <li>{@code in-<ns>/<pod>}, {@code eg-<ns>/<pod>}: a pod's ingress and egress chain (its
 *       NetworkPolicy stage);</li>
 *   <li>{@code in-admin-<ns>/<pod>}, {@code eg-baseline-<ns>/<pod>}, ...: a pod's ClusterNetworkPolicy
 *       stages of one tier and direction;</li>
 *   <li>{@code ingress-4}, {@code egress-6}, ...: verdict maps from local pod IP to its chain;</li>
 *   <li>{@code <address-group-id>-4}: the IPs of an address group's members;</li>
 *   <li>{@code ib-<policy-hash>-<rule position>-4}: a rule's ipBlocks minus holes, as ranges;</li>
 *   <li>{@code np-<group-hash>-<proto>-<port name>-4}: {@code ip . port} of members declaring a
 *       named port (egress rules resolve named ports on the destination);</li>
 *   <li>{@code local-cidrs-4}, {@code local-known-4}: when failing closed for new pods, the node's
 *       pod CIDRs and the local pod addresses that have a verdict.</li>
 * </ul>
 */
public final class Names {

    /** The one base chain: every forwarded packet between pods passes it on this node. */
    public static final String FORWARD = "forward";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.\\-/]+");
    private static final int MAX_PART = 180;

    private Names() {
    }

    /** A pod's chain for one direction: {@code in-x/a}, {@code eg-x/a}. */
    public static String podChain(boolean ingress, String podKey) {
        return (ingress ? "in-" : "eg-") + safe(podKey);
    }

    /** A pod's ClusterNetworkPolicy stage of one tier and direction: {@code in-admin-x/a}, {@code eg-baseline-x/a}. */
    public static String tierChain(boolean ingress, PolicyTier tier, String podKey) {
        return (ingress ? "in-" : "eg-") + tier.name().toLowerCase(java.util.Locale.ROOT) + "-" + safe(podKey);
    }

    /** The verdict map from local pod IPs of a family to their chains of one direction. */
    public static String podMap(boolean ingress, int family) {
        return (ingress ? "ingress-" : "egress-") + family;
    }

    /** The node's pod CIDRs of a family (interval set), guarded when failing closed for new pods. */
    public static String localCidrs(int family) {
        return "local-cidrs-" + family;
    }

    /** The local pod addresses of a family that have a verdict (the rest of the pod CIDRs is dropped). */
    public static String localKnown(int family) {
        return "local-known-" + family;
    }

    /** The member-IP set of an address group. */
    public static String addressSet(String groupId, int family) {
        return safe(groupId) + "-" + family;
    }

    /** The range set of a rule's ipBlocks; the policy id changes whenever the policy does. */
    public static String blockSet(CompiledPolicy policy, int rulePosition, int family) {
        return "ib-" + stripPrefix(policy.id(), "p-") + "-" + rulePosition + "-" + family;
    }

    /** The {@code ip . port} set of a group's members declaring a named port of a protocol. */
    public static String namedPortSet(String groupId, Protocol protocol, String portName, int family) {
        return "np-" + stripPrefix(safe(groupId), "ag-") + "-" + protocol.lowerCase() + "-" + safe(portName) + "-" + family;
    }

    /** The text itself when it is a safe identifier part, else {@code h} and a hash of it. */
    static String safe(String text) {
        if (text.length() <= MAX_PART && SAFE.matcher(text).matches()) {
            return text;
        }
        return "h" + CompiledPolicy.Ids.hash(text);
    }

    private static String stripPrefix(String text, String prefix) {
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }
}
