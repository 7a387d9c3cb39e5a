package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The pipeline's Kafka choices: KRaft with node pools, topic policies, and ACLs scoped per service. */
class KafkaTopologyTest {

    private final CrossReferences.Unit unit = new CrossReferences.Unit(CrossReferenceTest.defaultInstall());

    /**
     * Which topic each service may touch and how ("topic/Operation"). The services' channel
     * configuration (issues 3 and 4) must stay inside this.
     */
    static final Map<String, Set<String>> TOPIC_ACLS = Map.of(
            "stockade-listener", Set.of("stockade.resources/Describe", "stockade.resources/Read",
                    "stockade.resources/Write"),
            "stockade-compiler", Set.of("stockade.resources/Describe", "stockade.resources/Read",
                    "stockade.control/Describe", "stockade.control/Read", "stockade.rules/Describe", "stockade.rules/Write", "stockade.status/Describe",
                    "stockade.status/Write", "stockade.deadletter/Describe", "stockade.deadletter/Write"),
            "stockade-dispatcher", Set.of("stockade.rules/Describe", "stockade.rules/Read",
                    "stockade.resources/Describe", "stockade.resources/Read", "stockade.control/Describe",
                    "stockade.control/Write",
                    "stockade.status/Describe", "stockade.status/Write"),
            "stockade-cli", Set.of("stockade.resources/Describe", "stockade.resources/Read",
                    "stockade.rules/Describe", "stockade.rules/Read", "stockade.status/Describe",
                    "stockade.status/Read"));

    @Test
    void theClusterIsKraftWithNodePools() {
        Kafka kafka = unit.of(Kafka.class).get(0);
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/kraft"));
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/node-pools"));
        assertEquals(false, kafka.getSpec().getKafka().getConfig().get("auto.create.topics.enable"));
        assertEquals(2, kafka.getSpec().getKafka().getConfig().get("min.insync.replicas"));
    }

    @Test
    void theResourcesTopicIsCompactedSinglePartitionRf3MinIsr2() {
        KafkaTopic t = topic("stockade.resources");
        assertEquals(1, t.getSpec().getPartitions(), "one total order for a deterministic compiler");
        assertEquals(3, t.getSpec().getReplicas());
        assertEquals("compact", t.getSpec().getConfig().get("cleanup.policy"));
        assertEquals(2, t.getSpec().getConfig().get("min.insync.replicas"));
    }

    @Test
    void theRulesTopicIsALogOfDeltasWithRetention() {
        KafkaTopic t = topic("stockade.rules");
        assertEquals("delete", t.getSpec().getConfig().get("cleanup.policy"));
        assertTrue(t.getSpec().getConfig().get("retention.ms") instanceof Number);
        assertEquals(3, t.getSpec().getReplicas());
    }

    @Test
    void everyTopicIsReplicatedThreeTimesWithMinIsrTwo() {
        for (String name : Set.of("stockade.resources", "stockade.rules", "stockade.status", "stockade.deadletter",
                "stockade.control")) {
            assertEquals(3, topic(name).getSpec().getReplicas(), name);
            assertEquals(2, topic(name).getSpec().getConfig().get("min.insync.replicas"), name);
        }
    }

    @Test
    void eachServiceHasAScramUserWhoseTopicAclsAreExactlyItsOwn() {
        for (var entry : TOPIC_ACLS.entrySet()) {
            KafkaUser user = unit.of(KafkaUser.class).stream()
                    .filter(u -> u.getMetadata().getName().equals(entry.getKey())).findFirst().orElseThrow();
            assertTrue(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication);
            Set<String> granted = new TreeSet<>();
            for (AclRule rule : KafkaReferences.acls(user)) {
                if (rule.getResource() instanceof AclRuleTopicResource t) {
                    assertEquals(AclResourcePatternType.LITERAL, t.getPatternType(), "topic ACLs name topics exactly");
                    rule.getOperations().forEach(op -> granted.add(t.getName() + "/" + op.toValue()));
                }
            }
            assertEquals(new TreeSet<>(entry.getValue()), granted, entry.getKey());
        }
        assertEquals(TOPIC_ACLS.keySet(), unit.of(KafkaUser.class).stream()
                .map(u -> u.getMetadata().getName()).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Only services that join a consumer group have a group ACL, and only the compiler and the
     * listener write in transactions (the listener's shared transactional id fences a deposed
     * leader): the listener and the CLI read without a group (assign + seek), the dispatcher's
     * producer is idempotent, not transactional. {@code services/e2e} KafkaSecurityE2ETest checks
     * the same against a real broker.
     */
    @Test
    void onlyTheCompilerAndTheDispatcherHaveAGroupAndOnlyTheCompilerAndTheListenerATransactionalId() {
        Map<String, Set<String>> expected = Map.of(
                "stockade-listener", Set.of("transactionalId"),
                "stockade-compiler", Set.of("group", "transactionalId"),
                "stockade-dispatcher", Set.of("group"),
                "stockade-cli", Set.of());
        for (KafkaUser user : unit.of(KafkaUser.class)) {
            Set<String> kinds = new TreeSet<>();
            for (AclRule rule : KafkaReferences.acls(user)) {
                if (rule.getResource() instanceof AclRuleGroupResource) {
                    kinds.add("group");
                } else if (rule.getResource() instanceof AclRuleTransactionalIdResource) {
                    kinds.add("transactionalId");
                }
            }
            assertEquals(expected.get(user.getMetadata().getName()), kinds, user.getMetadata().getName());
        }
    }

    @Test
    void groupAndTransactionalIdAclsArePrefixedWithTheServicesOwnName() {
        for (KafkaUser user : unit.of(KafkaUser.class)) {
            String name = user.getMetadata().getName();
            for (AclRule rule : KafkaReferences.acls(user)) {
                String resource = rule.getResource() instanceof AclRuleGroupResource g ? g.getName()
                        : rule.getResource() instanceof AclRuleTransactionalIdResource t ? t.getName() : null;
                if (resource != null) {
                    assertEquals(name, resource, "group/transactional id ACL of " + name);
                }
                assertTrue(rule.getResource() instanceof AclRuleTopicResource || resource != null,
                        name + " has an ACL on something other than its topics, groups, transactional ids");
            }
        }
    }

    private KafkaTopic topic(String name) {
        return unit.of(KafkaTopic.class).stream().filter(t -> name.equals(t.getSpec().getTopicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no KafkaTopic for " + name));
    }
}
