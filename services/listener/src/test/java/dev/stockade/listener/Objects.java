package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Kubernetes objects as JSON, for tests. */
final class Objects {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Objects() {
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode pod(String namespace, String name, String segment, String resourceVersion) {
        return json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","resourceVersion":"%s",
                  "labels":{"segment":"%s"},"managedFields":[{"manager":"kubelet"}]},
                 "spec":{"nodeName":"node-a1","containers":[{"name":"web","image":"nginx",
                   "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]}]},
                 "status":{"phase":"Running","podIP":"10.0.0.1","podIPs":[{"ip":"10.0.0.1"}],
                   "conditions":[{"type":"Ready","status":"True"}]}}"""
                .formatted(name, namespace, resourceVersion, segment));
    }

    static ObjectNode namespace(String name, String isolation) {
        return json("""
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s",
                  "annotations":{"net.alpha.kubernetes.io/network-isolation":"%s"}}}""".formatted(name, isolation));
    }

    static ObjectNode legacyPolicy(String namespace, String name) {
        return json("""
                {"apiVersion":"net.alpha.kubernetes.io/v1alpha1","kind":"NetworkPolicy",
                 "metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"podSelector":{"segment":"backend"},
                   "allowIncoming":{"from":[{"pods":{"segment":"frontend"}}],"toPorts":[{"port":80,"protocol":"TCP"}]}}}"""
                .formatted(name, namespace));
    }

    static JsonNode withLabel(ObjectNode object, String key, String value) {
        ObjectNode copy = object.deepCopy();
        ((ObjectNode) copy.path("metadata")).putObject("labels").put(key, value);
        return copy;
    }
}
