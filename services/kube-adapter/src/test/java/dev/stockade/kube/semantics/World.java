package dev.stockade.kube.semantics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stockade.core.engine.ApplyResult;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.EventType;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.kube.Converted;
import dev.stockade.kube.KubeObjectConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Given/when/then for semantics tests: a small cluster written as YAML, events applied through
 * the incremental engine, verdicts read from what the agents hold (the fold of the deltas).
 *
 * <p>The base cluster: namespaces {@code x} (labels ns=x, team=blue) and {@code y} (ns=y);
 * pods x/a (pod=a, app=web; node n1; 10.1.0.1; serve-80-tcp=80/TCP, serve-81-udp=81/UDP,
 * serve-80-sctp=80/SCTP), x/b (pod=b; n2; 10.1.0.2; serve-80-tcp=80/TCP), y/a (pod=a; n1;
 * 10.2.0.1; serve-80-tcp=8000/TCP), y/b (pod=b; n2; 10.2.0.2; no ports), and x/pending (pod=a,
 * unscheduled, no IP).
 */
final class World {

    static final String BASE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x, labels: {ns: x, team: blue}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: y, labels: {ns: y}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a, app: web}}
            spec:
              nodeName: n1
              containers:
              - name: c
                ports:
                - {name: serve-80-tcp, containerPort: 80}
                - {name: serve-81-udp, containerPort: 81, protocol: UDP}
                - {name: serve-80-sctp, containerPort: 80, protocol: SCTP}
            status: {podIP: 10.1.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x, labels: {pod: b}}
            spec:
              nodeName: n2
              containers: [{name: c, ports: [{name: serve-80-tcp, containerPort: 80}]}]
            status: {podIP: 10.1.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: y, labels: {pod: a}}
            spec:
              nodeName: n1
              containers: [{name: c, ports: [{name: serve-80-tcp, containerPort: 8000}]}]
            status: {podIP: 10.2.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: y, labels: {pod: b}}
            spec: {nodeName: n2, containers: [{name: c}]}
            status: {podIP: 10.2.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pending, namespace: x, labels: {pod: a}}
            spec: {containers: [{name: c}]}
            """;

    private static final YAMLMapper YAML = new YAMLMapper();
    private final KubeObjectConverter converter = new KubeObjectConverter();
    private final Engine engine = new Engine();
    private final DeltaFold agents = new DeltaFold();
    private final List<Rejection> rejections = new ArrayList<>();

    /** The base cluster plus the given objects (YAML documents), all ADDED. */
    static World given(String yaml) {
        World world = new World();
        world.apply(EventType.ADDED, BASE);
        world.apply(EventType.ADDED, yaml);
        return world;
    }

    /** Only the given objects. */
    static World givenOnly(String yaml) {
        World world = new World();
        world.apply(EventType.ADDED, yaml);
        return world;
    }

    /** Applies every document of the YAML as one event of the type. */
    World apply(EventType type, String yaml) {
        for (JsonNode document : documents(yaml)) {
            Converted converted = converter.convert(document);
            rejections.addAll(converted.rejections());
            Resource resource = type == EventType.DELETED ? converter.identity(document).orElseThrow()
                    : converted.resource().orElse(null);
            if (resource != null) {
                ApplyResult result = engine.apply(new ResourceEvent(type, resource));
                rejections.addAll(result.rejections());
                result.deltas().forEach(agents::apply);
            }
        }
        return this;
    }

    boolean allowed(String from, String to, String probe) {
        List<Endpoint> endpoints = endpoints();
        Endpoint source = endpoints.stream().filter(e -> e.pod().equals(from)).findFirst().orElseThrow(
                () -> new AssertionError("no pod " + from + " with an IP"));
        Endpoint destination = endpoints.stream().filter(e -> e.pod().equals(to)).findFirst().orElseThrow(
                () -> new AssertionError("no pod " + to + " with an IP"));
        return new VerdictEvaluator(agents::ruleSet).allowed(source, destination, Probe.parse(probe).orElseThrow());
    }

    List<Endpoint> endpoints() {
        return Matrix.endpoints(engine.state());
    }

    List<Rejection> rejections() {
        return rejections;
    }

    Engine engine() {
        return engine;
    }

    DeltaFold agents() {
        return agents;
    }

    private static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNextValue()) {
                JsonNode document = iterator.nextValue();
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }
}
