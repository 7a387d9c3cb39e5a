package dev.stockade.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Converts Kubernetes objects (JSON trees from YAML, JSON or watch events) into core records,
 * keeping only what the compiler needs. fabric8's model classes read the standard kinds except
 * Pods, which {@link PodReader} reads straight from the tree; the 2016 policy has no model class
 * and is read by {@link LegacyPolicyReader}.
 */
public final class KubeObjectConverter {

    /** apiVersion of the 2016 policy API. */
    public static final String LEGACY_API_VERSION = "net.alpha.kubernetes.io/v1alpha1";

    /** The apiVersion and kind of every object Stockade reads. */
    private static final Set<String> READ_KINDS = Set.of("v1 Namespace", "v1 Pod", "v1 Node",
            "networking.k8s.io/v1 NetworkPolicy", LEGACY_API_VERSION + " NetworkPolicy");

    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Converts one object; never throws for bad input. */
    public Converted convert(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        try {
            return switch (apiVersion + " " + kind) {
                case "v1 Namespace" -> Converted.of(namespace(mapper.treeToValue(object, Namespace.class)));
                case "v1 Pod" -> Converted.of(PodReader.read(object));
                case "v1 Node" -> Converted.of(node(mapper.treeToValue(object, Node.class)));
                case "networking.k8s.io/v1 NetworkPolicy" ->
                        Converted.of(NetworkPolicyConverter.convert(mapper.treeToValue(object, NetworkPolicy.class)));
                case LEGACY_API_VERSION + " NetworkPolicy" -> LegacyPolicyReader.read(object);
                default -> Converted.ignored("kind '" + kind + "' of apiVersion '" + apiVersion
                        + "' is not read by Stockade");
            };
        } catch (JsonProcessingException e) {
            return malformed(object, e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return malformed(object, e.getMessage());
        }
    }

    private static Converted malformed(JsonNode object, String why) {
        return Converted.rejected(List.of(new Rejection(refOf(object), "", "malformed object: " + why)));
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
            case "NetworkPolicy" -> LEGACY_API_VERSION.equals(apiVersion)
                    ? ResourceKind.LEGACY_NETWORK_POLICY : ResourceKind.NETWORK_POLICY;
            default -> ResourceKind.POD;
        };
        boolean clusterScoped = resourceKind == ResourceKind.NAMESPACE || resourceKind == ResourceKind.NODE;
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
