package dev.stockade.core.compiled;

import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A policy as agents enforce it: the pods it applies to (an applied-to group id), the directions
 * in which it isolates them, and its rules.
 *
 * <p>{@code id} is a hash of everything else (Antrea's {@code hashRule}): recompiling an unchanged
 * policy gives the same id, so re-delivery is a no-op; a changed policy gets a new id.
 */
public record CompiledPolicy(String id, PolicyRef ref, String appliedToGroup, List<Direction> isolates,
                             List<CompiledRule> rules) {

    public CompiledPolicy {
        isolates = isolates.stream().sorted().distinct().toList();
        rules = List.copyOf(rules);
    }

    /** Builds a policy and computes its id from its canonical form. */
    public static CompiledPolicy of(PolicyRef ref, String appliedToGroup, List<Direction> isolates,
                                    List<CompiledRule> rules) {
        StringBuilder canonical = new StringBuilder()
                .append(ref.kind()).append(' ').append(ref.namespace()).append('/').append(ref.name())
                .append(" applies-to ").append(appliedToGroup)
                .append(" isolates ").append(isolates.stream().sorted().distinct().toList());
        rules.forEach(rule -> canonical.append('\n').append(rule.canonical()));
        return new CompiledPolicy("p-" + Ids.hash(canonical.toString()), ref, appliedToGroup, isolates, rules);
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
