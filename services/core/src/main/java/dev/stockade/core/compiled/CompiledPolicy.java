package dev.stockade.core.compiled;

import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.RuleAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A policy as agents enforce it: the pods it applies to (an applied-to group id), the directions
 * in which it isolates them, its rules, and the stage it is evaluated in.
 *
 * <p>{@code tier} follows from the kind ({@link PolicyTier#of}): v1 and 2016 policies and namespace
 * isolation are {@link PolicyTier#NETWORK_POLICY}, with {@code priority} 0 and only Accept rules;
 * a ClusterNetworkPolicy is {@code ADMIN} or {@code BASELINE} with its {@code spec.priority}, never
 * isolates (its rules are read as written) and its rules carry their actions. Within a tier,
 * policies are evaluated in {@link #PRECEDENCE} order and each policy's rules of a direction in
 * index order; the first matching rule decides (see {@code services/core/CLUSTER-NETWORK-POLICY.md},
 * "Compiled form").
 *
 * <p>{@code id} is a hash of everything else (Antrea's {@code hashRule}): recompiling an unchanged
 * policy gives the same id, so re-delivery is a no-op; a changed policy gets a new id. The tier and
 * priority are part of the hashed form only for ClusterNetworkPolicies, so NetworkPolicies keep the
 * ids they had before tiers existed.
 */
public record CompiledPolicy(String id, PolicyRef ref, String appliedToGroup, List<Direction> isolates,
                             List<CompiledRule> rules, PolicyTier tier, int priority) {

    /**
     * The order of ClusterNetworkPolicies of one tier on a node, as the reference evaluator walks
     * them: priority (lower first), then name (Stockade's tie-break; upstream leaves ties undefined).
     */
    public static final Comparator<CompiledPolicy> PRECEDENCE = Comparator.comparing(CompiledPolicy::tier)
            .thenComparingInt(CompiledPolicy::priority).thenComparing(policy -> policy.ref().name());

    /** A NetworkPolicy-tier policy (v1, 2016, namespace isolation). */
    public CompiledPolicy(String id, PolicyRef ref, String appliedToGroup, List<Direction> isolates,
                          List<CompiledRule> rules) {
        this(id, ref, appliedToGroup, isolates, rules, PolicyTier.NETWORK_POLICY, 0);
    }

    /** Throws IllegalArgumentException when the tier does not fit the kind or a NetworkPolicy rule does not allow. */
    public CompiledPolicy {
        isolates = isolates.stream().sorted().distinct().toList();
        rules = List.copyOf(rules);
        if (tier != PolicyTier.of(ref.kind())) {
            throw new IllegalArgumentException("policy " + ref + " of tier " + tier + ": its kind belongs to tier "
                    + PolicyTier.of(ref.kind()));
        }
        if (tier == PolicyTier.NETWORK_POLICY && (priority != 0
                || rules.stream().anyMatch(rule -> rule.action() != RuleAction.ACCEPT))) {
            throw new IllegalArgumentException("policy " + ref + ": a NetworkPolicy-tier policy has priority 0"
                    + " and only Accept rules");
        }
        if (tier != PolicyTier.NETWORK_POLICY && !isolates.isEmpty()) {
            throw new IllegalArgumentException("policy " + ref + ": a ClusterNetworkPolicy isolates no direction");
        }
    }

    /** True for an Admin or Baseline policy (a ClusterNetworkPolicy). */
    public boolean clusterWide() {
        return tier != PolicyTier.NETWORK_POLICY;
    }

    /** Builds a NetworkPolicy-tier policy and computes its id from its canonical form. */
    public static CompiledPolicy of(PolicyRef ref, String appliedToGroup, List<Direction> isolates,
                                    List<CompiledRule> rules) {
        return of(ref, appliedToGroup, isolates, rules, 0);
    }

    /** Builds a policy of its kind's tier with {@code priority} and computes its id from its canonical form. */
    public static CompiledPolicy of(PolicyRef ref, String appliedToGroup, List<Direction> isolates,
                                    List<CompiledRule> rules, int priority) {
        PolicyTier tier = PolicyTier.of(ref.kind());
        StringBuilder canonical = new StringBuilder()
                .append(ref.kind()).append(' ').append(ref.namespace()).append('/').append(ref.name())
                .append(" applies-to ").append(appliedToGroup)
                .append(" isolates ").append(isolates.stream().sorted().distinct().toList());
        if (tier != PolicyTier.NETWORK_POLICY) {
            canonical.append(" tier ").append(tier).append(" priority ").append(priority);
        }
        rules.forEach(rule -> canonical.append('\n').append(rule.canonical()));
        return new CompiledPolicy("p-" + Ids.hash(canonical.toString()), ref, appliedToGroup, isolates, rules, tier,
                priority);
    }

    /** Short stable ids from canonical forms. */
    public static final class Ids {
        private Ids() {
        }

        private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
        });

        /** First 16 hex digits of the SHA-256 of the text. */
        public static String hash(String canonical) {
            byte[] digest = SHA_256.get().digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        }
    }
}
