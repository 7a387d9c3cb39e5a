package dev.stockade.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.LegacyPolicyInfo;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.NodeInfo;
import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Converts Kubernetes objects (JSON trees from YAML, JSON or watch events) into core records,
 * keeping only what the compiler needs. fabric8's model classes read the standard kinds except
 * Pods, which {@link PodReader} reads straight from the tree; the 2016 policy has no model class
 * and is read by {@link LegacyPolicyReader}; the ClusterNetworkPolicy binds to the core's own
 * record ({@link ClusterNetworkPolicyReader}).
 *
 * <p>Input is read strictly, as the API server's strict field validation reads it
 * ({@link StrictBinding}): an unknown field or a scalar of the wrong type rejects the object with
 * the field named, so a typo never widens a policy. One exception fails closed instead: a
 * namespace isolation annotation whose value is not a string (YAML {@code on} unquoted is a
 * boolean) is reported and read as a malformed value, which isolates the namespace.
 *
 * <p>{@link #forTrimmedRecords()} skips the full Pod schema check: the listener's records on
 * {@code stockade.resources} hold trimmed pods (only the fields {@link PodReader} reads) of
 * objects the API server has already validated, and binding every pod to fabric8's model would
 * cost the compiler's hot path about 14 % of its CPU.
 */
public final class KubeObjectConverter {

    /** apiVersion of the 2016 policy API. */
    public static final String LEGACY_API_VERSION = "net.alpha.kubernetes.io/v1alpha1";
    /** apiVersion of ClusterNetworkPolicy (network-policy-api v0.2.0, cluster-scoped). */
    public static final String CLUSTER_NETWORK_POLICY_API_VERSION = "policy.networking.k8s.io/v1alpha2";

    /** The apiVersion and kind of every object Stockade reads. */
    private static final Set<String> READ_KINDS = Set.of("v1 Namespace", "v1 Pod", "v1 Node",
            "networking.k8s.io/v1 NetworkPolicy", LEGACY_API_VERSION + " NetworkPolicy",
            CLUSTER_NETWORK_POLICY_API_VERSION + " " + ClusterNetworkPolicyReader.KIND);

    private final StrictBinding strict = new StrictBinding();
    private final boolean checkPodSchema;

    /** A converter for objects from outside: manifest files, watch events, the API server. */
    public KubeObjectConverter() {
        this(true);
    }

    private KubeObjectConverter(boolean checkPodSchema) {
        this.checkPodSchema = checkPodSchema;
    }

    /** A converter for the listener's trimmed records on {@code stockade.resources} (see the class comment). */
    public static KubeObjectConverter forTrimmedRecords() {
        return new KubeObjectConverter(false);
    }

    /** Converts one object; never throws for bad input. */
    public Converted convert(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        Optional<Rejection> unnamed = READ_KINDS.contains(apiVersion + " " + kind) && !kind.equals("Pod")
                ? unnamed(object) : Optional.empty();
        if (unnamed.isPresent()) {
            return Converted.rejected(List.of(unnamed.get()));
        }
        try {
            return switch (apiVersion + " " + kind) {
                case "v1 Namespace" -> namespace(object);
                case "v1 Pod" -> Converted.of(pod(object));
                case "v1 Node" -> Converted.of(node(strict.bind(object, Node.class)));
                case "networking.k8s.io/v1 NetworkPolicy" ->
                        Converted.of(NetworkPolicyConverter.convert(strict.bind(object, NetworkPolicy.class)));
                case LEGACY_API_VERSION + " NetworkPolicy" -> LegacyPolicyReader.read(object, strict);
                case CLUSTER_NETWORK_POLICY_API_VERSION + " " + ClusterNetworkPolicyReader.KIND ->
                        Converted.of(ClusterNetworkPolicyReader.read(object, strict));
                default -> Converted.ignored("kind '" + kind + "' of apiVersion '" + apiVersion
                        + "' is not read by Stockade");
            };
        } catch (StrictBinding.Refused e) {
            return Converted.rejected(List.of(new Rejection(refOf(object), e.field(), e.getMessage())));
        } catch (IllegalArgumentException e) {
            return Converted.rejected(List.of(new Rejection(refOf(object), "", "malformed object: " + e.getMessage())));
        }
    }

    /**
     * Why an object of a kind Stockade reads has no identity, if it has none: "metadata.name: Required
     * value" as the API server says it. Every kind's reader relies on the name; {@link PodReader}
     * checks a pod's itself.
     */
    private static Optional<Rejection> unnamed(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        if (!metadata.isObject()) {
            return Optional.of(new Rejection(refOf(object), "metadata",
                    "must be an object with the name (required value)"));
        }
        JsonNode name = metadata.path("name");
        if (!name.isValueNode() || name.isNull() || name.asText().isEmpty()) {
            return Optional.of(new Rejection(refOf(object), "metadata.name", "required value: every object has a name"));
        }
        return Optional.empty();
    }

    private PodInfo pod(JsonNode object) throws StrictBinding.Refused {
        if (checkPodSchema) {
            strict.bind(object, Pod.class);
        }
        return PodReader.read(object);
    }

    /**
     * A namespace, with the isolation annotations' fail-closed exception: a value that is not a
     * string is reported and handed to the core as its text, which the core reads as malformed
     * and so as isolating. Other annotations Stockade does not read; a non-string value there is
     * reported and the annotation left out.
     */
    private Converted namespace(JsonNode object) throws StrictBinding.Refused {
        JsonNode annotations = object.path("metadata").path("annotations");
        List<Rejection> reported = new ArrayList<>();
        JsonNode readable = object;
        if (annotations.isObject()) {
            ObjectNode copy = object.deepCopy();
            ObjectNode strings = (ObjectNode) copy.path("metadata").path("annotations");
            annotations.fields().forEachRemaining(entry -> {
                JsonNode value = entry.getValue();
                if (value.isTextual() || value.isNull()) {
                    return;
                }
                String key = entry.getKey();
                boolean isolation = NamespaceInfo.ALPHA_ISOLATION.equals(key) || NamespaceInfo.BETA_POLICY.equals(key);
                reported.add(new Rejection(refOf(object), "metadata.annotations[" + key + "]",
                        "annotation values must be strings, not " + value.getNodeType().toString().toLowerCase()
                                + " " + value + " (YAML reads on, off, yes, no and numbers unquoted as other types: quote it)"
                                + (isolation ? "; the value is read as malformed, which isolates the namespace (fail closed)"
                                        : "; the annotation is left out")));
                if (isolation) {
                    strings.put(key, value.isValueNode() ? value.asText() : value.toString());
                } else {
                    strings.remove(key);
                }
            });
            readable = copy;
        }
        NamespaceInfo namespace = namespace(strict.bind(readable, Namespace.class));
        return new Converted(Optional.of(namespace), reported, Optional.empty());
    }

    /**
     * Only the identity of an object, as a DELETED event needs it; empty for kinds Stockade does
     * not read or objects without a name.
     */
    public Optional<Resource> identity(JsonNode object) {
        ObjectRef ref = refOf(object);
        String apiVersionAndKind = object.path("apiVersion").asText("") + " " + object.path("kind").asText("");
        if (ref.name().isEmpty() || !READ_KINDS.contains(apiVersionAndKind)) {
            return Optional.empty();
        }
        return Optional.of(identity(ref));
    }

    /** A resource carrying only {@code ref}'s identity. */
    static Resource identity(ObjectRef ref) {
        return switch (ref.kind()) {
            case NAMESPACE -> new NamespaceInfo(ref.name(), null, null);
            case POD -> new PodInfo(ref.namespace(), ref.name(), null, null, null, null);
            case NODE -> new NodeInfo(ref.name(), null);
            case NETWORK_POLICY -> new NetworkPolicyInfo(ref.namespace(), ref.name(), null, null, null, null);
            case LEGACY_NETWORK_POLICY -> new LegacyPolicyInfo(ref.namespace(), ref.name(), null, null);
            case CLUSTER_NETWORK_POLICY -> new ClusterNetworkPolicyInfo(ref.name(), null, null, null, null, null);
        };
    }

    /** The object's identity as far as it can be read; namespace defaults to {@code default}. */
    static ObjectRef refOf(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").asText("");
        ResourceKind resourceKind = switch (kind) {
            case "Namespace" -> ResourceKind.NAMESPACE;
            case "Node" -> ResourceKind.NODE;
            case ClusterNetworkPolicyReader.KIND -> ResourceKind.CLUSTER_NETWORK_POLICY;
            case "NetworkPolicy" -> LEGACY_API_VERSION.equals(apiVersion)
                    ? ResourceKind.LEGACY_NETWORK_POLICY : ResourceKind.NETWORK_POLICY;
            default -> ResourceKind.POD;
        };
        boolean clusterScoped = resourceKind == ResourceKind.NAMESPACE || resourceKind == ResourceKind.NODE
                || resourceKind == ResourceKind.CLUSTER_NETWORK_POLICY;
        String namespace = clusterScoped ? "" : metadata.path("namespace").asText("default");
        return new ObjectRef(resourceKind, namespace, name);
    }

    private static NamespaceInfo namespace(Namespace namespace) {
        return new NamespaceInfo(namespace.getMetadata().getName(), namespace.getMetadata().getLabels(),
                namespace.getMetadata().getAnnotations());
    }

    private static NodeInfo node(Node node) {
        return new NodeInfo(node.getMetadata().getName(), node.getMetadata().getLabels());
    }
}
