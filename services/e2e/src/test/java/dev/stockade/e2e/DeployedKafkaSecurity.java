package dev.stockade.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The deployment's Kafka security as the manifests under {@code k8s/} state it: the KafkaUsers of
 * {@code base/kafka/users.yaml} with their ACLs translated into Kafka {@link AclBinding}s the way
 * Strimzi's User Operator does for {@code authorization.type: simple}, and the client settings of
 * the ConfigMap {@code stockade-kafka-client} ({@code base/kafka/client-config.yaml}).
 */
final class DeployedKafkaSecurity {

    static final Path K8S = Path.of(System.getProperty("stockade.repo.dir", "../..")).resolve("k8s");

    /** The cluster resource's only name (Strimzi writes this for {@code type: cluster}). */
    private static final String CLUSTER_NAME = "kafka-cluster";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A SCRAM-SHA-512 KafkaUser and the ACL bindings Strimzi would create for it. */
    record User(String name, List<AclBinding> acls) {
        /** Kafka's principal of a SCRAM user: its name. */
        String principal() {
            return "User:" + name;
        }
    }

    private DeployedKafkaSecurity() {
    }

    /** Every KafkaUser of {@code users.yaml}, in file order; each must be SCRAM-SHA-512 with simple authorization. */
    static List<User> users() throws IOException {
        List<User> users = new ArrayList<>();
        for (JsonNode document : documents(K8S.resolve("base/kafka/users.yaml"))) {
            KafkaUser user = YAML.treeToValue(document, KafkaUser.class);
            String name = user.getMetadata().getName();
            if (!(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication)) {
                throw new IllegalStateException(name + ": not a SCRAM-SHA-512 user");
            }
            if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
                throw new IllegalStateException(name + ": not simple authorization");
            }
            List<AclBinding> acls = new ArrayList<>();
            for (AclRule rule : simple.getAcls()) {
                acls.addAll(bindings("User:" + name, rule));
            }
            users.add(new User(name, List.copyOf(acls)));
        }
        return users;
    }

    /**
     * The client settings of the ConfigMap {@code stockade-kafka-client} as the environment
     * variables the services get from it, with the bootstrap servers and the CA file replaced by the
     * local broker's, and {@code KAFKA_SASL_JAAS_CONFIG} as the user's Secret holds it.
     */
    static Map<String, String> clientEnvironment(String bootstrapServers, Path caPem, String user, String password)
            throws IOException {
        JsonNode configMap = documents(K8S.resolve("base/kafka/client-config.yaml")).get(0);
        Map<String, String> env = new LinkedHashMap<>();
        configMap.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        replace(env, "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        replace(env, "KAFKA_SSL_TRUSTSTORE_LOCATION", caPem.toString());
        env.put("KAFKA_SASL_JAAS_CONFIG", jaasConfig(user, password));
        return env;
    }

    /** {@code sasl.jaas.config} as the User Operator writes it into the user's Secret. */
    static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static void replace(Map<String, String> env, String key, String value) {
        if (env.replace(key, value) == null) {
            throw new IllegalStateException("the ConfigMap stockade-kafka-client has no " + key);
        }
    }

    /** One Strimzi ACL rule as Kafka bindings: one per operation (User Operator, SimpleAclRule). */
    static List<AclBinding> bindings(String principal, AclRule rule) {
        if (!rule.getAdditionalProperties().isEmpty() || !rule.getResource().getAdditionalProperties().isEmpty()) {
            throw new IllegalStateException("unknown fields in an ACL of " + principal + ": " + rule);
        }
        ResourcePattern pattern = pattern(rule.getResource());
        String host = rule.getHost() == null ? "*" : rule.getHost();
        AclPermissionType permission = rule.getType() == AclRuleType.DENY ? AclPermissionType.DENY : AclPermissionType.ALLOW;
        List<io.strimzi.api.kafka.model.user.acl.AclOperation> operations = new ArrayList<>();
        if (rule.getOperations() != null) {
            operations.addAll(rule.getOperations());
        }
        if (rule.getOperation() != null) {
            operations.add(rule.getOperation());
        }
        if (operations.isEmpty()) {
            throw new IllegalStateException("an ACL of " + principal + " names no operation: " + rule);
        }
        List<AclBinding> bindings = new ArrayList<>();
        for (var operation : operations) {
            bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, host, operation(operation), permission)));
        }
        return bindings;
    }

    private static ResourcePattern pattern(AclRuleResource resource) {
        if (resource instanceof AclRuleTopicResource topic) {
            return new ResourcePattern(ResourceType.TOPIC, topic.getName(), patternType(topic.getPatternType()));
        }
        if (resource instanceof AclRuleGroupResource group) {
            return new ResourcePattern(ResourceType.GROUP, group.getName(), patternType(group.getPatternType()));
        }
        if (resource instanceof AclRuleTransactionalIdResource id) {
            return new ResourcePattern(ResourceType.TRANSACTIONAL_ID, id.getName(), patternType(id.getPatternType()));
        }
        if (resource instanceof AclRuleClusterResource) {
            return new ResourcePattern(ResourceType.CLUSTER, CLUSTER_NAME, PatternType.LITERAL);
        }
        throw new IllegalStateException("unknown ACL resource type " + resource.getType());
    }

    private static PatternType patternType(AclResourcePatternType type) {
        return type == AclResourcePatternType.PREFIX ? PatternType.PREFIXED : PatternType.LITERAL;
    }

    /** Strimzi's {@code ClusterAction}, {@code IdempotentWrite}, ... to Kafka's CLUSTER_ACTION, IDEMPOTENT_WRITE, ... */
    private static AclOperation operation(io.strimzi.api.kafka.model.user.acl.AclOperation operation) {
        String kafkaName = operation.toValue().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        AclOperation kafka = AclOperation.fromString(kafkaName);
        if (kafka == AclOperation.UNKNOWN || kafka == AclOperation.ANY) {
            throw new IllegalStateException("no Kafka operation for Strimzi's " + operation.toValue());
        }
        return kafka;
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
            return values.readAll().stream().filter(node -> node != null && !node.isNull() && !node.isEmpty()).toList();
        }
    }
}
