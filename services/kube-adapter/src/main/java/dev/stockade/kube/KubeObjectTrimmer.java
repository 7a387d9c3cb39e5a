package dev.stockade.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.model.NamespaceInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Cuts a Kubernetes object down to the fields {@link KubeObjectConverter} reads, so that the
 * {@code stockade.resources} topic carries no managedFields, images, env, conditions or other
 * annotations (smaller records, fewer no-op updates, nothing secret-looking on the wire).
 *
 * <p>What is kept, per kind (everything else is dropped):
 * <ul>
 *   <li>every kind: {@code apiVersion}, {@code kind}, {@code metadata.name}, {@code .namespace},
 *       {@code .labels}, {@code .resourceVersion}, and of {@code .annotations} only
 *       {@value NamespaceInfo#ALPHA_ISOLATION} and {@value NamespaceInfo#BETA_POLICY};</li>
 *   <li>Pod: {@code spec.nodeName}, {@code spec.hostNetwork}, {@code spec.containers[].ports[]} ({@code name},
 *       {@code containerPort}, {@code protocol}; containers without ports are dropped),
 *       {@code status.phase}, {@code status.podIP}, {@code status.podIPs};</li>
 *   <li>NetworkPolicy ({@code networking.k8s.io/v1}), the 2016 policy and ClusterNetworkPolicy
 *       ({@code policy.networking.k8s.io/v1alpha2}): {@code spec} whole (not {@code status});</li>
 *   <li>Namespace and Node: metadata only.</li>
 * </ul>
 * Label and annotation maps come out sorted by key, so equal objects trim to equal bytes. The
 * contract, tested on every conformance and example object: converting the trimmed object gives
 * the same core record as converting the original.
 */
public final class KubeObjectTrimmer {

    private static final List<String> KEPT_ANNOTATIONS = List.of(NamespaceInfo.ALPHA_ISOLATION, NamespaceInfo.BETA_POLICY);
    private static final List<String> KEPT_PORT_FIELDS = List.of("name", "containerPort", "protocol");
    private static final List<String> KEPT_POD_STATUS = List.of("phase", "podIP", "podIPs");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * The trimmed copy of the object (the argument is not changed), or empty when its
     * apiVersion and kind are not ones Stockade reads.
     */
    public Optional<ObjectNode> trim(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        ObjectNode trimmed = NODES.objectNode();
        trimmed.put("apiVersion", apiVersion);
        trimmed.put("kind", kind);
        trimmed.set("metadata", metadata(object.path("metadata")));
        switch (apiVersion + " " + kind) {
            case "v1 Pod" -> podFields(object, trimmed);
            case "networking.k8s.io/v1 NetworkPolicy", KubeObjectConverter.LEGACY_API_VERSION + " NetworkPolicy",
                    KubeObjectConverter.CLUSTER_NETWORK_POLICY_API_VERSION + " " + ClusterNetworkPolicyReader.KIND ->
                    copyIfPresent(object, trimmed, "spec");
            case "v1 Namespace", "v1 Node" -> {
                // metadata only
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(trimmed);
    }

    private static ObjectNode metadata(JsonNode metadata) {
        ObjectNode kept = NODES.objectNode();
        copyIfPresent(metadata, kept, "name");
        copyIfPresent(metadata, kept, "namespace");
        if (metadata.path("labels").isObject()) {
            kept.set("labels", sorted(metadata.path("labels"), null));
        }
        copyIfPresent(metadata, kept, "resourceVersion");
        ObjectNode annotations = sorted(metadata.path("annotations"), KEPT_ANNOTATIONS);
        if (!annotations.isEmpty()) {
            kept.set("annotations", annotations);
        }
        return kept;
    }

    private static void podFields(JsonNode pod, ObjectNode trimmed) {
        JsonNode spec = pod.path("spec");
        if (spec.isObject()) {
            ObjectNode keptSpec = trimmed.putObject("spec");
            copyIfPresent(spec, keptSpec, "nodeName");
            copyIfPresent(spec, keptSpec, "hostNetwork");
            ArrayNode containers = containersWithPorts(spec.path("containers"));
            if (!containers.isEmpty()) {
                keptSpec.set("containers", containers);
            }
        }
        JsonNode status = pod.path("status");
        if (status.isObject()) {
            ObjectNode keptStatus = trimmed.putObject("status");
            KEPT_POD_STATUS.forEach(field -> copyIfPresent(status, keptStatus, field));
        }
    }

    /** {@code [{ports: [{name, containerPort, protocol}]}]} for each container that declares ports. */
    private static ArrayNode containersWithPorts(JsonNode containers) {
        ArrayNode kept = NODES.arrayNode();
        for (JsonNode container : containers) {
            JsonNode ports = container.path("ports");
            if (!ports.isArray() || ports.isEmpty()) {
                continue;
            }
            ArrayNode keptPorts = kept.addObject().putArray("ports");
            for (JsonNode port : ports) {
                ObjectNode keptPort = keptPorts.addObject();
                KEPT_PORT_FIELDS.forEach(field -> copyIfPresent(port, keptPort, field));
            }
        }
        return kept;
    }

    /** The object's entries sorted by key; only the {@code allowed} keys unless that is null. */
    private static ObjectNode sorted(JsonNode map, List<String> allowed) {
        Map<String, JsonNode> entries = new TreeMap<>();
        map.fields().forEachRemaining(entry -> {
            if (allowed == null || allowed.contains(entry.getKey())) {
                entries.put(entry.getKey(), entry.getValue());
            }
        });
        ObjectNode out = NODES.objectNode();
        entries.forEach(out::set);
        return out;
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && !value.isMissingNode()) {
            to.set(field, value.deepCopy());
        }
    }
}
