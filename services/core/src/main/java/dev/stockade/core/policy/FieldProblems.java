package dev.stockade.core.policy;

/**
 * Where a parser reports a problem with one field of the object being validated. Lets the shared
 * selector and port parsers serve validators whose objects are identified differently
 * ({@link Validation.Problems} for namespaced kinds, {@link ClusterPolicyValidator}'s collector for
 * ClusterNetworkPolicy).
 */
interface FieldProblems {

    /** Records that {@code field} (a path such as {@code spec.ingress[0].from[1]}) is invalid, and why. */
    void reject(String field, String reason);
}
