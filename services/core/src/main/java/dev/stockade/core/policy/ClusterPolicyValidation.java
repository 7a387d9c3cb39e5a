package dev.stockade.core.policy;

import dev.stockade.core.model.Rejection;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of validating one ClusterNetworkPolicy.
 *
 * <ul>
 *   <li>valid: a definition and no rejections;</li>
 *   <li>invalid: no definition, at least one rejection (the object is not in force, as the API
 *       server would have refused it);</li>
 *   <li>in force but failing closed: a definition and rejections that each say how the policy is
 *       read instead (a rule with a peer Stockade cannot interpret; see {@link ClusterRule#failedClosed()}).</li>
 * </ul>
 */
public record ClusterPolicyValidation(Optional<ClusterPolicyDefinition> definition,
                                      List<Rejection> rejections) {

    public ClusterPolicyValidation {
        rejections = List.copyOf(rejections);
    }

    /** True when the object is exactly as upstream's schema requires and Stockade implements all of it. */
    public boolean valid() {
        return rejections.isEmpty();
    }

    /** True when the policy takes part in verdicts (valid, or failing closed). */
    public boolean inForce() {
        return definition.isPresent();
    }
}
