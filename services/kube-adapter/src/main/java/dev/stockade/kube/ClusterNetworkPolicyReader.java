package dev.stockade.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.EgressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.IngressRule;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.Subject;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * Reads a {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy (cluster-scoped) into the
 * core's {@link ClusterNetworkPolicyInfo}, which follows upstream's Go types field for field, so
 * the JSON binds to it directly. Strict, as {@link StrictBinding} (the same binding as the v1
 * NetworkPolicy): a field upstream's schema does not have ({@code fromm:}, {@code port:} for
 * {@code destinationPort:}) or a scalar of the wrong type ({@code priority: "10"}) rejects the object
 * with the field named, so a typo never widens or drops a rule. The experimental channel's
 * {@code nodes} and {@code domainNames} peers are read (the core fails closed on them).
 *
 * <p>Only the shape is checked here; what the values mean (tier, priority range, one field per
 * peer, CIDR forms) is the core's {@code ClusterPolicyValidator}. {@code status} is the
 * implementation's report and is not read. {@code metadata.namespace}, if written, is ignored as
 * the API server ignores it for a cluster-scoped kind.
 */
final class ClusterNetworkPolicyReader {

    /** Its kind. */
    static final String KIND = "ClusterNetworkPolicy";

    /** The object as the API server serves it. */
    record Wire(String apiVersion, String kind, ObjectMeta metadata, Spec spec, JsonNode status) {
    }

    /** {@code spec}, fields as upstream's {@code ClusterNetworkPolicySpec}; null = absent. */
    record Spec(String tier, Integer priority, Subject subject, List<IngressRule> ingress, List<EgressRule> egress) {
    }

    private ClusterNetworkPolicyReader() {
    }

    static ClusterNetworkPolicyInfo read(JsonNode object, StrictBinding strict) throws StrictBinding.Refused {
        Wire wire = strict.bind(object, Wire.class);
        Spec spec = wire.spec() == null ? new Spec(null, null, null, null, null) : wire.spec();
        return new ClusterNetworkPolicyInfo(wire.metadata().getName(), spec.tier(), spec.priority(), spec.subject(),
                spec.ingress(), spec.egress());
    }
}
