package dev.stockade.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kafka.KafkaClientProperties;
import dev.stockade.kube.ClusterLoader;
import dev.stockade.listener.DirectorySource;
import dev.stockade.listener.Leadership;
import dev.stockade.listener.Listener;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka security tested for real (issue 15): a KRaft broker with a SASL_SSL listener (SCRAM-SHA-512
 * over TLS) and StandardAuthorizer, the KafkaUsers of {@code k8s/base/kafka/users.yaml} with exactly
 * their ACLs, and the client settings of the ConfigMap {@code stockade-kafka-client}. First the
 * whole pipeline runs, every service with its own user (listener → compiler → a dispatcher per
 * pool → agents, with a rejection, a dead letter and realized status); then a matrix of what each
 * user's clients — built by the services' own property builders — may and may not do; then no
 * password reached a log line or an error; and the agent has no Kafka credentials at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaSecurityE2ETest {

    private static final String RESOURCES = "stockade.resources";
    private static final String RULES = "stockade.rules";
    private static final String STATUS = "stockade.status";
    private static final String CONTROL = "stockade.control";
    private static final String DEADLETTER = "stockade.deadletter";
    private static final String LISTENER = "stockade-listener";
    private static final String COMPILER = "stockade-compiler";
    private static final String DISPATCHER = "stockade-dispatcher";
    private static final String CLI = "stockade-cli";
    private static final String TOKEN = "security-e2e-token";
    private static final Map<String, String> POOLS = Map.of("node-a1", "pool-a", "node-a2", "pool-a", "node-b1", "pool-b");

    @TempDir
    static Path work;
    private CapturedLogs logs;
    private LocalKafka kafka;
    private final Map<String, DeployedKafkaSecurity.User> users = new LinkedHashMap<>();
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final Set<String> secrets = new HashSet<>();
    private final List<String> refusals = new ArrayList<>();
    private Path manifests;
    private EmbeddedCacheManager compilerMember;
    private CompilerLoop compiler;
    private Listener listener;
    private final List<DispatcherReplica> dispatchers = new ArrayList<>();
    private final Map<String, AgentNode> agents = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        logs = new CapturedLogs();
        System.setProperty("stockade.jgroups.port", "7880");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        kafka = LocalKafka.startSaslSsl(Map.of());
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(topic(RESOURCES, 1, true), topic(STATUS, 1, true), topic(CONTROL, 1, false),
                    topic(DEADLETTER, 1, false), topic(RULES, 3, false))).all().get(30, TimeUnit.SECONDS);
            for (DeployedKafkaSecurity.User user : DeployedKafkaSecurity.users()) {
                users.put(user.name(), user);
                passwords.put(user.name(), secret());
                kafka.createScramUser(user.name(), passwords.get(user.name()));
                admin.createAcls(user.acls()).all().get(30, TimeUnit.SECONDS);
            }
        }
        users.keySet().forEach(user -> await(user + " authenticated and authorized", () -> canDescribeResources(user)));
        manifests = tenantAWithATypo();
        startPipeline();
    }

    @AfterAll
    void stop() throws Exception {
        agents.values().forEach(AgentNode::close);
        dispatchers.forEach(DispatcherReplica::close);
        if (listener != null) {
            listener.close();
        }
        if (compiler != null) {
            compiler.close();
            Thread.sleep(300);
            compilerMember.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        logs.close();
    }

    @Test
    @Order(0)
    void theBrokerHoldsExactlyTheAclsOfUsersYaml() throws Exception {
        assertEquals(Set.of(LISTENER, COMPILER, DISPATCHER, CLI), users.keySet(), "users.yaml names these users");
        Set<AclBinding> deployed = users.values().stream().flatMap(u -> u.acls().stream()).collect(Collectors.toSet());
        try (Admin admin = kafka.admin()) {
            assertEquals(deployed, new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)));
        }
    }

    @Test
    @Order(1)
    void thePipelineRunsWithEachServicesOwnUser() throws Exception {
        DeltaFold expected = new ClusterLoader(warning -> { }).load(manifests, null).agents();
        await("every agent holds its node's full compile", () -> POOLS.keySet().stream()
                .allMatch(node -> agents.get(node).ruleSet().equals(expected.ruleSet(node))));
        writeAsSuperUser(RESOURCES, "Pod/tenant-a/not-json", "{not json".getBytes(StandardCharsets.UTF_8));

        await("the compiler's dead letter", () -> read(DEADLETTER).stream().anyMatch(r -> r.key().equals("Pod/tenant-a/not-json")));
        await("the compiler's rejection of the typo and the dispatchers' Realized for every node", () -> {
            List<StatusRecord> status = read(STATUS).stream().filter(r -> r.value() != null)
                    .map(r -> decodeStatus(r.value())).toList();
            return status.stream().anyMatch(s -> StatusRecord.REJECTED.equals(s.type()) && "typo".equals(s.name()))
                    && POOLS.keySet().stream().allMatch(node -> status.stream()
                    .anyMatch(s -> StatusRecord.REALIZED.equals(s.type()) && node.equals(s.node())));
        });
        assertTrue(read(CONTROL).stream().anyMatch(r -> r.key().startsWith("stockade-dispatcher-pool-")),
                "the dispatchers asked the compiler for snapshots on stockade.control");
        try (Admin admin = kafka.admin()) {
            for (String group : List.of(COMPILER, "stockade-dispatcher-pool-a", "stockade-dispatcher-pool-b")) {
                assertFalse(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                        .isEmpty(), group + " committed offsets");
            }
        }
    }

    /** Each row: a user's client, built as the service builds it, tries one thing. */
    @TestFactory
    @Order(2)
    Stream<DynamicTest> eachUserMayDoWhatItsServiceNeedsAndNothingElse() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (AccessMatrix.Row row : new AccessMatrix(this::clientEnvironment, passwords).rows()) {
            tests.add(DynamicTest.dynamicTest(row.toString(), () -> {
                KafkaAccess.Outcome outcome = KafkaAccess.attempt(row.attempt());
                if (!outcome.done()) {
                    refusals.add(outcome.refusalText());
                }
                System.out.printf("access matrix: %-70s %s%n", row, outcome);
                assertEquals(row.allowed(), outcome.done(), () -> row + ": " + outcome);
            }));
        }
        return tests.stream();
    }

    @Test
    @Order(3)
    void noPasswordReachesALogLineOrAnError() throws Exception {
        String wrong = secret();
        Path one = Files.createDirectory(work.resolve("one"));
        Files.copy(manifests.resolve("00-nodes.yaml"), one.resolve("00-nodes.yaml"));
        Map<String, String> env = clientEnvironment(LISTENER, wrong);
        try (Listener refused = Listener.start(new DirectorySource(one, Duration.ofMillis(200)), Leadership.sole(),
                new Listener.Settings(RESOURCES, KafkaClientProperties.fromConfig(env.keySet(), name -> Optional.ofNullable(env.get(name))),
                        "wrong-password-listener", Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(5)),
                new SimpleMeterRegistry())) {
            await("the listener with a wrong password logs its failure",
                    () -> logs.lines().stream().anyMatch(line -> line.contains("reconcile failed") && line.contains("SCRAM-SHA-512")));
        }
        String canary = secret();
        org.jboss.logging.Logger.getLogger("security-e2e").infof("jboss-logging %s", canary);
        java.util.logging.Logger.getLogger("security-e2e").log(java.util.logging.Level.INFO, "jul {0}", canary);
        org.slf4j.LoggerFactory.getLogger("org.apache.kafka.security-e2e").info("slf4j {}", canary);
        assertEquals(3, logs.containing(canary).size(), "the capture sees all three logging APIs, formatted");
        List<String> lines = logs.lines();
        assertFalse(logs.containing("sasl.jaas.config = [hidden]").isEmpty(), "Kafka clients print their config, JAAS hidden");
        assertFalse(logs.containing("sasl.jaas.config=<redacted>").isEmpty(), "the listener logs its Kafka settings, redacted");
        assertFalse(logs.containing("invalid credentials").isEmpty(), "failed authentications were logged");
        assertFalse(logs.containing("TOPIC_AUTHORIZATION_FAILED").isEmpty() && logs.containing("Not authorized").isEmpty(),
                "refused authorizations were logged");
        assertFalse(refusals.isEmpty(), "the matrix met refusals");
        secrets.addAll(passwords.values());
        secrets.add(wrong);
        for (String secret : secrets) {
            for (String line : lines) {
                assertFalse(line.contains(secret), () -> "a password in a log line: " + line.replace(secret, "<THE PASSWORD>"));
            }
            for (String refusal : refusals) {
                assertFalse(refusal.contains(secret), () -> "a password in an error: " + refusal.replace(secret, "<THE PASSWORD>"));
            }
        }
    }

    @Test
    @Order(4)
    void anAgentHasNoKafkaCredentialsAtAll() throws Exception {
        AgentHasNoKafka.assertManifests(DeployedKafkaSecurity.K8S);
        AgentHasNoKafka.assertCode(AgentNode.class, RecordingReconciler.class);
    }

    private void startPipeline() throws Exception {
        String prefix = "security-e2e-" + System.nanoTime();
        compilerMember = CacheManagers.start(prefix + "-compiler", "compiler-0", "jgroups-loopback.xml");
        CompilerSettings d = CompilerSettings.defaults(kafka.saslSslBootstrapServers(), "compiler-0");
        compiler = new CompilerLoop(new CompilerSettings(d.bootstrapServers(), d.resourcesTopic(), d.rulesTopic(),
                d.statusTopic(), d.deadLetterTopic(), d.controlTopic(), d.groupId(), d.transactionalId(), d.replicaId(),
                d.maxBatch(), d.pollTimeout(), serviceKafkaProperties(COMPILER)),
                compilerMember.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
        Thread thread = new Thread(compiler, "security-e2e-compiler");
        thread.setDaemon(true);
        thread.start();
        Map<String, String> env = clientEnvironment(LISTENER, passwords.get(LISTENER));
        listener = Listener.start(new DirectorySource(manifests, Duration.ofMillis(200)), Leadership.sole(),
                new Listener.Settings(RESOURCES, KafkaClientProperties.fromConfig(env.keySet(), name -> Optional.ofNullable(env.get(name))),
                        "listener-0", Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30)),
                new SimpleMeterRegistry());
        // Dispatchers start once rules exist, so each finds its pool's nodes and asks for snapshots.
        await("the compiler's first rules", () -> !read(RULES).isEmpty());
        // The agent stream is TLS with a token per node (issue 15), as everywhere.
        dev.stockade.dispatcher.tls.ThrowawayCa streamCa = dev.stockade.dispatcher.tls.ThrowawayCa.create(
                work.resolve("stream-pki"), "security-e2e");
        for (String pool : List.of("pool-a", "pool-b")) {
            DispatcherSettings p = DispatcherSettings.defaults(kafka.saslSslBootstrapServers(), pool, pool + "-r1");
            dispatchers.add(DispatcherReplica.start(new DispatcherSettings(p.pool(), p.replicaId(), p.bootstrapServers(),
                    p.resourcesTopic(), p.rulesTopic(), p.statusTopic(), p.controlTopic(), p.ringSize(), p.maxInFlight(),
                    p.resyncRetry(), p.pollTimeout(), serviceKafkaProperties(DISPATCHER)),
                    DispatcherReplica.Options.loopback(prefix + "-" + pool, dev.stockade.dispatcher.NodeTokens.of(
                            POOLS.keySet().stream().collect(java.util.stream.Collectors.toMap(node -> node, node -> TOKEN + "-" + node))),
                            streamCa.serverTls(pool))));
        }
        for (Map.Entry<String, String> node : POOLS.entrySet()) {
            String address = dispatchers.get(node.getValue().equals("pool-a") ? 0 : 1).address();
            agents.put(node.getKey(), AgentNode.start(AgentSettings.tls(node.getKey(), List.of(address),
                            dev.stockade.agent.StreamTrust.token(TOKEN + "-" + node.getKey()), streamCa.trustingContext())
                    .withStateDir(work.resolve("agent-" + node.getKey()))
                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)), new RecordingReconciler()));
        }
    }

    /** The example cluster tenant-a, plus a policy with a misspelt field for the compiler to reject. */
    private Path tenantAWithATypo() throws Exception {
        Path dir = Files.createDirectory(work.resolve("tenant-a"));
        try (Stream<Path> files = Files.list(DeployedKafkaSecurity.K8S.resolve("examples/tenant-a"))) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Files.writeString(dir.resolve("90-typo.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: typo, namespace: tenant-a}
                spec:
                  podSelector: {}
                  ingress: [{from: [{podSelecter: {}}]}]
                """);
        return dir;
    }

    /** The environment a service's pod gets (ConfigMap + the user's Secret), pointed at this broker. */
    Map<String, String> clientEnvironment(String user, String password) {
        try {
            return DeployedKafkaSecurity.clientEnvironment(kafka.saslSslBootstrapServers(), kafka.trustedCertificatePem(),
                    user, password);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What CompilerService and DispatcherService pass as their Kafka client properties. */
    private Map<String, String> serviceKafkaProperties(String user) {
        Map<String, String> env = clientEnvironment(user, passwords.get(user));
        return KafkaClientProperties.withoutBootstrap(env.keySet(), name -> Optional.ofNullable(env.get(name)));
    }

    private boolean canDescribeResources(String user) {
        Map<String, String> env = clientEnvironment(user, passwords.get(user));
        Map<String, Object> config = KafkaClientProperties.fromConfig(env.keySet(), name -> Optional.ofNullable(env.get(name)));
        try (Admin admin = Admin.create(config)) {
            admin.describeTopics(List.of(RESOURCES)).allTopicNames().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void writeAsSuperUser(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Every committed record of the topic, read by the super user (PLAINTEXT, no group). */
    private List<ConsumerRecord<String, byte[]>> read(String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static StatusRecord decodeStatus(byte[] value) {
        try {
            return WireJson.decodeStatus(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static NewTopic topic(String name, int partitions, boolean compacted) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1);
        return compacted ? topic.configs(Map.of("cleanup.policy", "compact")) : topic;
    }

    private static String secret() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for: " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
