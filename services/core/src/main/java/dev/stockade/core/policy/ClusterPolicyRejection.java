package dev.stockade.core.policy;

/**
 * Why (part of) a ClusterNetworkPolicy was not accepted as written: the policy's name, the field
 * path inside it (e.g. {@code spec.egress[0].to[1].networks[0]}) and a reason people can act on.
 *
 * <p>The ClusterNetworkPolicy counterpart of {@link dev.stockade.core.model.Rejection}, whose object
 * is an {@code ObjectRef} of a {@code ResourceKind} this kind does not have yet; prints the same way.
 */
public record ClusterPolicyRejection(String policy, String field, String reason) {

    @Override
    public String toString() {
        return "ClusterNetworkPolicy " + policy + ": " + field + ": " + reason;
    }
}
