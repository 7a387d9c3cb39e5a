package dev.stockade.kube;

import static com.fasterxml.jackson.databind.node.JsonNodeType.ARRAY;
import static com.fasterxml.jackson.databind.node.JsonNodeType.OBJECT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@code v1} Pod from its JSON tree: {@code metadata.name}, {@code .namespace}, {@code .labels},
 * {@code spec.nodeName}, {@code spec.hostNetwork}, {@code spec.containers[].ports[]} ({@code name},
 * {@code containerPort}, {@code protocol}), {@code status.phase}, {@code .podIP} and
 * {@code .podIPs[].ip}; nothing else.
 * Pods skip the fabric8 model that the other kinds go through: they are the compiler's hot path, and
 * binding that model cost it ~14 % of its CPU. The fields read accept and reject what the binding
 * did: any scalar reads as its text where text is expected (YAML {@code app: 1} is the label
 * {@code "1"}), null means absent, and a wrong shape rejects the pod.
 */
final class PodReader {

    private static final ObjectReader JACKSON_INTEGER = new ObjectMapper().readerFor(Integer.class);

    private PodReader() {
    }

    /** The pod, or IllegalArgumentException naming the first field found with the wrong shape. */
    static PodInfo read(JsonNode pod) {
        JsonNode metadata = requiredObject(pod.path("metadata"), "metadata");
        JsonNode spec = nested(pod, "spec", "", OBJECT);
        String namespace = text(metadata, "namespace", "metadata");
        String name = text(metadata, "name", "metadata");
        if (name == null || name.isEmpty()) {
            throw malformed("metadata", "name", "is required");
        }
        return new PodInfo(namespace == null ? "default" : namespace, name,
                labels(metadata), text(spec, "nodeName", "spec"), ips(nested(pod, "status", "", OBJECT)), ports(spec),
                hostNetwork(spec));
    }

    /** {@code spec.hostNetwork}: true or false; absent is false. */
    private static boolean hostNetwork(JsonNode spec) {
        JsonNode value = spec.path("hostNetwork");
        if (absent(value)) {
            return false;
        }
        if (!value.isBoolean()) {
            throw malformed("spec", "hostNetwork", "is not true or false");
        }
        return value.booleanValue();
    }

    private static Map<String, String> labels(JsonNode metadata) {
        JsonNode written = nested(metadata, "labels", "metadata", OBJECT);
        Map<String, String> labels = new TreeMap<>();
        written.fieldNames().forEachRemaining(key -> labels.put(key, text(written, key, "metadata.labels")));
        return labels;
    }

    /**
     * {@code status.podIPs}, {@code status.podIP} first unless listed there. Decision: a pod that has
     * terminated (phase Succeeded or Failed) keeps no IP, since its address may be reused.
     */
    private static List<String> ips(JsonNode status) {
        String phase = text(status, "phase", "status");
        String primary = text(status, "podIP", "status");
        JsonNode podIPs = nested(status, "podIPs", "status", ARRAY);
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < podIPs.size(); i++) {
            JsonNode entry = podIPs.get(i);
            String at = "status.podIPs[" + i + "]";
            // a bare string is the IP itself, as fabric8's PodIP(String) constructor reads it
            String ip = entry.isTextual() ? entry.textValue() : text(requiredObject(entry, at), "ip", at);
            if (ip != null && !ip.isEmpty()) {
                ips.add(ip);
            }
        }
        if (primary != null && !primary.isEmpty() && !ips.contains(primary)) {
            ips.add(0, primary);
        }
        return "Succeeded".equals(phase) || "Failed".equals(phase) ? List.of() : ips;
    }

    /** Protocol TCP when not given; a port with an unknown protocol or without a number is left out. */
    private static List<ContainerPort> ports(JsonNode spec) {
        JsonNode containers = nested(spec, "containers", "spec", ARRAY);
        List<ContainerPort> ports = new ArrayList<>();
        for (int c = 0; c < containers.size(); c++) {
            String container = "spec.containers[" + c + "]";
            JsonNode declared = nested(requiredObject(containers.get(c), container), "ports", container, ARRAY);
            for (int p = 0; p < declared.size(); p++) {
                String at = container + ".ports[" + p + "]";
                JsonNode port = requiredObject(declared.get(p), at);
                String name = text(port, "name", at);
                Integer number = containerPort(port, at);
                String protocol = text(port, "protocol", at);
                Protocol.parse(protocol == null ? "TCP" : protocol).filter(known -> number != null)
                        .ifPresent(known -> ports.add(new ContainerPort(name, number, known)));
            }
        }
        return ports;
    }

    /**
     * Anything but a plain int goes through Jackson's Integer binding, so the coercions are fabric8's:
     * absent, empty, blank or "null" is null; numeric text is read (trimmed); a fractional number is
     * truncated; booleans, out-of-range numbers, objects and arrays are not integers.
     */
    private static Integer containerPort(JsonNode port, String at) {
        JsonNode value = port.path("containerPort");
        if (value.isInt()) {
            return value.intValue();
        }
        try {
            return JACKSON_INTEGER.readValue(value);
        } catch (IOException e) {
            throw malformed(at, "containerPort", "is not an integer");
        }
    }

    /** Any scalar as its text, null when absent. */
    private static String text(JsonNode parent, String key, String at) {
        JsonNode value = parent.path(key);
        if (value.isContainerNode()) {
            throw malformed(at, key, "is not a string");
        }
        return absent(value) ? null : value.asText();
    }

    /** The object or array under {@code key}; absent (missing or null) reads as an empty one. */
    private static JsonNode nested(JsonNode parent, String key, String at, JsonNodeType shape) {
        JsonNode value = parent.path(key);
        if (value.getNodeType() != shape && !absent(value)) {
            throw malformed(at, key, shape == ARRAY ? "is not a list" : "is not an object");
        }
        return value;
    }

    /** The metadata and each element of a list, which may not be absent. */
    private static JsonNode requiredObject(JsonNode value, String field) {
        if (!value.isObject()) {
            throw malformed("", field, "is not an object");
        }
        return value;
    }

    private static boolean absent(JsonNode value) {
        return value.isMissingNode() || value.isNull();
    }

    /** {@code at} is the path of {@code key}'s parent, empty for the pod itself; label keys go in brackets. */
    private static IllegalArgumentException malformed(String at, String key, String problem) {
        String field = at.isEmpty() ? key : at.equals("metadata.labels") ? at + "[" + key + "]" : at + "." + key;
        return new IllegalArgumentException(field + " " + problem);
    }
}
