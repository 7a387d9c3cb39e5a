package dev.stockade.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import dev.stockade.core.model.LegacyPolicyInfo;
import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a 2016 {@code net.alpha.kubernetes.io/v1alpha1} NetworkPolicy from its JSON tree,
 * checking its shape: {@code spec.podSelector} a label map; {@code spec.allowIncoming} one rule
 * or a list of rules; {@code from} entries {@code {pods: map}} / {@code {namespaces: map}};
 * {@code toPorts} entries {@code {port: int|string, protocol: string}}. Shape errors reject the
 * policy with the field named; meaning (e.g. a from entry with neither key) is the core's job.
 *
 * <p>Strict, as {@link StrictBinding}: a field the 2016 API does not have (e.g. {@code toPort}
 * for {@code toPorts}, which would otherwise allow every port) and a label value or protocol
 * that is not a string reject the policy; {@code metadata} is checked against the standard
 * ObjectMeta.
 */
final class LegacyPolicyReader {

    private static final Set<String> OBJECT_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> SPEC_FIELDS = Set.of("podSelector", "allowIncoming");
    private static final Set<String> RULE_FIELDS = Set.of("from", "toPorts");
    private static final Set<String> PEER_FIELDS = Set.of("pods", "namespaces");
    private static final Set<String> PORT_FIELDS = Set.of("port", "protocol");

    private final ObjectRef ref;
    private final List<Rejection> problems = new ArrayList<>();

    private LegacyPolicyReader(ObjectRef ref) {
        this.ref = ref;
    }

    static Converted read(JsonNode object, StrictBinding strict) {
        LegacyPolicyReader reader = new LegacyPolicyReader(KubeObjectConverter.refOf(object));
        if (reader.ref.name().isEmpty()) {
            reader.problems.add(new Rejection(reader.ref, "metadata.name", "a policy needs a name"));
            return Converted.rejected(reader.problems);
        }
        reader.knownFields(object, "", OBJECT_FIELDS);
        try {
            strict.bind(object.path("metadata"), ObjectMeta.class);
        } catch (StrictBinding.Refused e) {
            reader.reject(e.field().isEmpty() ? "metadata" : "metadata." + e.field(), e.getMessage());
        }
        JsonNode spec = object.path("spec");
        if (!spec.isMissingNode() && !spec.isNull() && !spec.isObject()) {
            reader.reject("spec", "must be an object with podSelector and allowIncoming");
        }
        reader.knownFields(spec, "spec", SPEC_FIELDS);
        Map<String, String> podSelector = reader.labelMap(spec.path("podSelector"), "spec.podSelector");
        List<LegacyPolicyInfo.Rule> rules = reader.rules(spec.path("allowIncoming"));
        if (!reader.problems.isEmpty()) {
            return Converted.rejected(reader.problems);
        }
        return Converted.of(new LegacyPolicyInfo(reader.ref.namespace(), reader.ref.name(), podSelector, rules));
    }

    private List<LegacyPolicyInfo.Rule> rules(JsonNode allowIncoming) {
        List<LegacyPolicyInfo.Rule> rules = new ArrayList<>();
        if (allowIncoming.isMissingNode() || allowIncoming.isNull()) {
            return rules;
        }
        if (allowIncoming.isObject()) {
            rules.add(rule(allowIncoming, "spec.allowIncoming"));
        } else if (allowIncoming.isArray()) {
            for (int i = 0; i < allowIncoming.size(); i++) {
                rules.add(rule(allowIncoming.get(i), "spec.allowIncoming[" + i + "]"));
            }
        } else {
            reject("spec.allowIncoming", "must be a rule or a list of rules");
        }
        return rules;
    }

    private LegacyPolicyInfo.Rule rule(JsonNode rule, String at) {
        if (!rule.isObject()) {
            reject(at, "must be an object with from and toPorts");
            return new LegacyPolicyInfo.Rule(null, null);
        }
        knownFields(rule, at, RULE_FIELDS);
        List<LegacyPolicyInfo.Peer> from = new ArrayList<>();
        for (JsonNode peer : list(rule.path("from"), at + ".from")) {
            String field = at + ".from[" + from.size() + "]";
            if (!peer.isObject()) {
                reject(field, "must be {pods: {...}} or {namespaces: {...}}");
            }
            knownFields(peer, field, PEER_FIELDS);
            from.add(new LegacyPolicyInfo.Peer(optionalLabelMap(peer.path("pods"), field + ".pods"),
                    optionalLabelMap(peer.path("namespaces"), field + ".namespaces")));
        }
        List<LegacyPolicyInfo.Port> toPorts = new ArrayList<>();
        for (JsonNode port : list(rule.path("toPorts"), at + ".toPorts")) {
            toPorts.add(port(port, at + ".toPorts[" + toPorts.size() + "]"));
        }
        return new LegacyPolicyInfo.Rule(from, toPorts);
    }

    private LegacyPolicyInfo.Port port(JsonNode port, String at) {
        if (!port.isObject()) {
            reject(at, "must be {port, protocol}");
            return new LegacyPolicyInfo.Port(null, null, null);
        }
        knownFields(port, at, PORT_FIELDS);
        JsonNode protocolNode = port.path("protocol");
        String protocol = protocolNode.isMissingNode() || protocolNode.isNull() ? null : protocolNode.asText();
        if (!protocolNode.isMissingNode() && !protocolNode.isNull() && !protocolNode.isTextual()) {
            reject(at + ".protocol", "must be a string (TCP, UDP or SCTP)");
        }
        JsonNode value = port.path("port");
        if (value.isMissingNode() || value.isNull()) {
            return new LegacyPolicyInfo.Port(protocol, null, null);
        }
        if (value.isInt()) {
            return new LegacyPolicyInfo.Port(protocol, value.asInt(), null);
        }
        if (value.isTextual()) {
            return new LegacyPolicyInfo.Port(protocol, null, value.asText());
        }
        reject(at + ".port", "must be a port number or a port name");
        return new LegacyPolicyInfo.Port(protocol, null, null);
    }

    private List<JsonNode> list(JsonNode node, String at) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return items;
        }
        if (!node.isArray()) {
            reject(at, "must be a list");
            return items;
        }
        node.forEach(items::add);
        return items;
    }

    private Map<String, String> optionalLabelMap(JsonNode node, String at) {
        return node.isMissingNode() || node.isNull() ? null : labelMap(node, at);
    }

    private Map<String, String> labelMap(JsonNode node, String at) {
        Map<String, String> labels = new TreeMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return labels;
        }
        if (!node.isObject()) {
            reject(at, "must be a map of label keys to values");
            return labels;
        }
        node.fields().forEachRemaining(entry -> {
            if (entry.getValue().isTextual()) {
                labels.put(entry.getKey(), entry.getValue().asText());
            } else {
                reject(at + "." + entry.getKey(), "a label value must be a string, not " + entry.getValue()
                        + " (YAML reads on, off, yes, no, true, false and numbers unquoted as other types: quote it)");
            }
        });
        return labels;
    }

    /** Every field of {@code node} (when an object) must be one of {@code known}. */
    private void knownFields(JsonNode node, String at, Set<String> known) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                reject(at.isEmpty() ? name : at + "." + name, "unknown field (the 2016 API has "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private void reject(String field, String reason) {
        problems.add(new Rejection(ref, field, reason));
    }
}
