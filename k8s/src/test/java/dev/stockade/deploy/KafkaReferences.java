package dev.stockade.deploy;

import dev.stockade.deploy.CrossReferences.Unit;
import dev.stockade.deploy.Workloads.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserTlsClientAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * References into and out of the Strimzi custom resources: the Secrets Strimzi writes, the
 * cluster label of topics/users/node pools, ACL topics, and the services' Kafka client settings.
 */
final class KafkaReferences {
    private KafkaReferences() {
    }

    static final String CLUSTER_LABEL = "strimzi.io/cluster";

    /** Secrets the Strimzi operators write, with their keys, keyed namespace/name. */
    static Map<String, Set<String>> strimziSecrets(Unit u) {
        Map<String, Set<String>> out = new HashMap<>();
        for (Kafka k : u.of(Kafka.class)) {
            String ns = Workloads.namespace(k);
            out.put(ns + "/" + k.getMetadata().getName() + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        }
        for (KafkaUser user : u.of(KafkaUser.class)) {
            String key = Workloads.namespace(user) + "/" + user.getMetadata().getName();
            if (user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication) {
                out.put(key, Set.of("password", "sasl.jaas.config"));
            } else if (user.getSpec().getAuthentication() instanceof KafkaUserTlsClientAuthentication) {
                out.put(key, Set.of("ca.crt", "user.crt", "user.key", "user.p12", "user.password"));
            }
        }
        return out;
    }

    static List<String> check(Unit u) {
        List<String> problems = new ArrayList<>();
        Map<String, Kafka> clusters = new HashMap<>();
        u.of(Kafka.class).forEach(k -> clusters.put(Workloads.namespace(k) + "/" + k.getMetadata().getName(), k));
        List<HasMetadata> labelled = new ArrayList<>();
        labelled.addAll(u.of(KafkaTopic.class));
        labelled.addAll(u.of(KafkaUser.class));
        labelled.addAll(u.of(KafkaNodePool.class));
        for (HasMetadata o : labelled) {
            String cluster = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(CLUSTER_LABEL);
            if (cluster == null || !clusters.containsKey(Workloads.namespace(o) + "/" + cluster)) {
                problems.add(o.getKind() + " " + o.getMetadata().getName() + ": label " + CLUSTER_LABEL + "=" + cluster
                        + " names no Kafka of the unit");
            }
        }
        for (Kafka k : clusters.values()) {
            checkCluster(u, k, problems);
        }
        Set<String> topics = topicNames(u);
        for (KafkaUser user : u.of(KafkaUser.class)) {
            for (AclRule rule : acls(user)) {
                if (rule.getResource() instanceof AclRuleTopicResource t) {
                    boolean literal = t.getPatternType() == null || t.getPatternType() == AclResourcePatternType.LITERAL;
                    boolean known = literal ? topics.contains(t.getName())
                            : topics.stream().anyMatch(n -> n.startsWith(t.getName()));
                    if (!known) {
                        problems.add("KafkaUser " + user.getMetadata().getName() + ": ACL on topic " + t.getName()
                                + " matches no KafkaTopic");
                    }
                }
            }
        }
        for (Workload w : u.workloads) {
            for (Container c : w.containers()) {
                checkClient(u, w, c, clusters, problems);
            }
        }
        return problems;
    }

    static List<AclRule> acls(KafkaUser user) {
        return user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple s
                ? Manifests.nullSafe(s.getAcls()) : List.of();
    }

    static Set<String> topicNames(Unit u) {
        Set<String> names = new java.util.HashSet<>();
        for (KafkaTopic t : u.of(KafkaTopic.class)) {
            names.add(t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName());
        }
        return names;
    }

    private static void checkCluster(Unit u, Kafka k, List<String> problems) {
        String name = k.getMetadata().getName();
        String ns = Workloads.namespace(k);
        if (k.getSpec().getKafka().getMetricsConfig() instanceof JmxPrometheusExporterMetrics m) {
            var ref = m.getValueFrom().getConfigMapKeyRef();
            var cm = u.configMaps.get(ns + "/" + ref.getName());
            if (cm == null || cm.getData() == null || !cm.getData().containsKey(ref.getKey())) {
                problems.add("Kafka " + name + ": metricsConfig wants key " + ref.getKey() + " of ConfigMap "
                        + ref.getName() + ", which is missing");
            }
        }
        int brokers = 0;
        int controllers = 0;
        for (KafkaNodePool pool : u.of(KafkaNodePool.class)) {
            if (pool.getMetadata().getLabels() != null && name.equals(pool.getMetadata().getLabels().get(CLUSTER_LABEL))) {
                List<ProcessRoles> roles = pool.getSpec().getRoles();
                brokers += roles.contains(ProcessRoles.BROKER) ? pool.getSpec().getReplicas() : 0;
                controllers += roles.contains(ProcessRoles.CONTROLLER) ? pool.getSpec().getReplicas() : 0;
            }
        }
        if (brokers == 0 || controllers == 0) {
            problems.add("Kafka " + name + ": node pools give " + brokers + " brokers and " + controllers + " controllers");
        }
        for (KafkaTopic t : u.of(KafkaTopic.class)) {
            if (t.getSpec().getReplicas() != null && t.getSpec().getReplicas() > brokers) {
                problems.add("KafkaTopic " + t.getMetadata().getName() + ": " + t.getSpec().getReplicas()
                        + " replicas but only " + brokers + " brokers");
            }
        }
    }

    /** A service's KAFKA_* settings must name an existing listener and a KafkaUser whose Secret it reads. */
    private static void checkClient(Unit u, Workload w, Container c, Map<String, Kafka> clusters,
            List<String> problems) {
        String where = w.id() + " container " + c.getName();
        Optional<String> bootstrap = Workloads.envValue(c, "KAFKA_BOOTSTRAP_SERVERS", w.namespace(), u.configMaps);
        if (bootstrap.isEmpty()) {
            return;
        }
        String[] hostPort = bootstrap.get().split(",")[0].split(":");
        String host = hostPort[0].split("\\.")[0];
        String hostNs = hostPort[0].contains(".") ? hostPort[0].split("\\.")[1] : w.namespace();
        int port = Integer.parseInt(hostPort[1]);
        Kafka kafka = clusters.values().stream()
                .filter(k -> host.equals(k.getMetadata().getName() + "-kafka-bootstrap") && Workloads.namespace(k).equals(hostNs))
                .findFirst().orElse(null);
        if (kafka == null) {
            problems.add(where + ": KAFKA_BOOTSTRAP_SERVERS " + bootstrap.get() + " is no Kafka bootstrap Service of the unit");
            return;
        }
        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getPort() == port).findFirst().orElse(null);
        if (listener == null) {
            problems.add(where + ": port " + port + " is no listener of Kafka " + kafka.getMetadata().getName());
            return;
        }
        String protocol = Workloads.envValue(c, "KAFKA_SECURITY_PROTOCOL", w.namespace(), u.configMaps).orElse("PLAINTEXT");
        String expected = (listener.isTls() ? "SSL" : "PLAINTEXT");
        if (listener.getAuth() != null && "scram-sha-512".equals(listener.getAuth().getType())) {
            expected = listener.isTls() ? "SASL_SSL" : "SASL_PLAINTEXT";
        }
        if (!expected.equals(protocol)) {
            problems.add(where + ": KAFKA_SECURITY_PROTOCOL " + protocol + " but listener " + listener.getName()
                    + " needs " + expected);
        }
        if (protocol.startsWith("SASL")) {
            EnvVar jaas = Manifests.nullSafe(c.getEnv()).stream().filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                    .findFirst().orElse(null);
            String secret = jaas == null || jaas.getValueFrom() == null || jaas.getValueFrom().getSecretKeyRef() == null
                    ? null : jaas.getValueFrom().getSecretKeyRef().getName();
            boolean isUser = secret != null && u.of(KafkaUser.class).stream()
                    .anyMatch(k -> k.getMetadata().getName().equals(secret)
                            && k.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication);
            if (!isUser) {
                problems.add(where + ": KAFKA_SASL_JAAS_CONFIG must come from the Secret of a SCRAM KafkaUser, not " + secret);
            }
        }
    }
}
