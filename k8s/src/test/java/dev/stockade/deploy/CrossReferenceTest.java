package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manifests as written (base/core + base/kafka + base/pool, i.e. one pool named "default")
 * point at each other correctly. The rendered installs are checked by {@link KustomizeRenderTest}.
 */
class CrossReferenceTest {

    static List<Manifests.Parsed> defaultInstall() {
        return Manifests.rawResources(Repo.k8s().resolve("base/core"), Repo.k8s().resolve("base/kafka"),
                Repo.k8s().resolve("base/pool"));
    }

    static List<String> problems(List<Manifests.Parsed> objects) {
        List<String> problems = new ArrayList<>(CrossReferences.check(objects));
        problems.addAll(AddressReferences.check(objects));
        return problems;
    }

    @Test
    void theManifestsAsWrittenHaveNoDanglingReference() {
        assertEquals(List.of(), problems(defaultInstall()));
    }

    @Test
    void aServiceWhoseSelectorMatchesNoPodTemplateIsReported() {
        List<String> p = problems(withDefaultInstall("""
                apiVersion: v1
                kind: Service
                metadata: {name: orphan}
                spec:
                  selector: {app.kubernetes.io/name: nobody}
                  ports: [{name: http, port: 80}]
                """));
        assertTrue(p.stream().anyMatch(s -> s.contains("Service orphan") && s.contains("matches no pod template")), p::toString);
    }

    @Test
    void aServiceTargetPortNoContainerDeclaresIsReported() {
        List<String> p = problems(withDefaultInstall("""
                apiVersion: v1
                kind: Service
                metadata: {name: wrong-port}
                spec:
                  selector: {app.kubernetes.io/name: stockade-compiler}
                  ports: [{name: x, port: 80, targetPort: debug}]
                """));
        assertTrue(p.stream().anyMatch(s -> s.contains("targetPort debug")), p::toString);
    }

    @Test
    void aMissingConfigMapKeyAProbePortAndAServiceAccountAreReported() {
        List<String> p = problems(withDefaultInstall("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken}
                spec:
                  selector: {matchLabels: {app: broken}}
                  template:
                    metadata: {labels: {app: broken}}
                    spec:
                      serviceAccountName: ghost
                      containers:
                      - name: c
                        image: x
                        ports: [{name: http, containerPort: 8080}]
                        readinessProbe: {httpGet: {path: /q/health/ready, port: metrics}}
                        env:
                        - name: A
                          valueFrom: {configMapKeyRef: {name: stockade-kafka-client, key: NOPE}}
                        - name: B
                          valueFrom: {secretKeyRef: {name: stockade-listener, key: nope}}
                """));
        assertTrue(p.stream().anyMatch(s -> s.contains("serviceAccountName ghost")), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.contains("readinessProbe port metrics")), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.contains("key NOPE of ConfigMap stockade-kafka-client")), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.contains("key nope of Secret stockade-listener")), p::toString);
    }

    @Test
    void anAclOnATopicThatDoesNotExistIsReported() {
        List<String> p = problems(withDefaultInstall("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: typo, labels: {strimzi.io/cluster: stockade-kafka}}
                spec:
                  authentication: {type: scram-sha-512}
                  authorization:
                    type: simple
                    acls:
                    - resource: {type: topic, name: stockade.rule, patternType: literal}
                      operations: [Read]
                """));
        assertTrue(p.stream().anyMatch(s -> s.contains("ACL on topic stockade.rule ")), p::toString);
    }

    private static List<Manifests.Parsed> withDefaultInstall(String yaml) {
        List<Manifests.Parsed> all = new ArrayList<>(defaultInstall());
        all.addAll(Manifests.parseAll(Manifests.docs(yaml, "inline")));
        return all;
    }
}
