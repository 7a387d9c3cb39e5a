package dev.stockade.e2e;

import dev.stockade.compiler.CompilerClientConfigs;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.dispatcher.DispatcherClientConfigs;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.events.v1.ControlRecord;
import dev.stockade.events.v1.WireJson;
import dev.stockade.kafka.KafkaClientProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What each Kafka user of the deployment may and may not do, as rows a test runs against a
 * broker with exactly the ACLs of {@code users.yaml}. Each user's clients are built the way its
 * service builds them: the listener's and the CLI's with {@link KafkaClientProperties} (what
 * {@code Listener.start} and the CLI's group-less readers use), the compiler's and the
 * dispatcher's with their own {@code KafkaClients} / {@code KafkaOutbound} configurations; all
 * with the deployment's SASL_SSL settings and the user's own password.
 *
 * <p>Where a service's real group or transactional id would disturb the running pipeline, a
 * sibling under the same prefix is used ({@code stockade-compiler-probe}, pool {@code probe}):
 * the ACLs are prefixed, so it is the same permission. Allowed writes leave nothing a service
 * minds: tombstones of keys no one uses, a resync request for a node that does not exist, or a
 * transaction that is aborted after the broker acknowledged its record.
 */
final class AccessMatrix {

    private static final String RESOURCES = "stockade.resources";
    private static final String RULES = "stockade.rules";
    private static final String STATUS = "stockade.status";
    private static final String CONTROL = "stockade.control";
    private static final String DEADLETTER = "stockade.deadletter";
    private static final byte[] PROBE = "probe".getBytes(StandardCharsets.UTF_8);

    /** One attempt: the user, what it tries, whether the deployment must allow it. */
    record Row(String user, String what, boolean allowed, KafkaAccess.Attempt attempt) {
        @Override
        public String toString() {
            return user + (allowed ? " may " : " may not ") + what;
        }
    }

    private final BiFunction<String, String, Map<String, String>> environment;
    private final Map<String, String> passwords;
    private final List<Row> rows = new ArrayList<>();

    /** {@code environment}: (user, password) to the environment its pod would get. */
    AccessMatrix(BiFunction<String, String, Map<String, String>> environment, Map<String, String> passwords) {
        this.environment = environment;
        this.passwords = passwords;
    }

    List<Row> rows() {
        listener();
        compiler();
        dispatcher();
        cli();
        authentication();
        return List.copyOf(rows);
    }

    /** Publishes resources (idempotent producer), reads them back without a group at reconcile. */
    private void listener() {
        String user = "stockade-listener";
        Map<String, Object> kafka = kafka(user, passwords.get(user));
        Map<String, Object> producer = KafkaClientProperties.producer(kafka, "probe-listener", Duration.ofSeconds(10));
        Map<String, Object> reader = KafkaClientProperties.groupLessConsumer(kafka, "probe-listener-reconcile");
        allow(user, "write " + RESOURCES, () -> KafkaAccess.write(producer, RESOURCES, "Pod/probe/probe", null));
        allow(user, "read " + RESOURCES + " without a group", () -> KafkaAccess.readWithoutGroup(reader, RESOURCES));
        for (String topic : List.of(RULES, STATUS, CONTROL, DEADLETTER)) {
            refuse(user, "write " + topic, () -> KafkaAccess.write(producer, topic, "probe", PROBE));
        }
        for (String topic : List.of(RULES, STATUS)) {
            refuse(user, "read " + topic, () -> KafkaAccess.readWithoutGroup(reader, topic));
        }
        refuse(user, "read " + RESOURCES + " in group stockade-listener-probe",
                () -> KafkaAccess.readInGroup(properties(reader), "stockade-listener-probe", RESOURCES));
        allow(user, "write " + RESOURCES + " with transactional id stockade-listener-probe", () -> KafkaAccess.writeInTransaction(
                transactional(producer, "stockade-listener-probe"), RESOURCES, "Pod/probe/probe", null));
        refuse(user, "use transactional id stockade-compiler-probe",
                () -> KafkaAccess.writeInTransaction(transactional(producer, "stockade-compiler-probe"), RESOURCES, "probe", PROBE));
    }

    /** Reads resources and control in its group, writes rules, status and dead letters in transactions. */
    private void compiler() {
        String user = "stockade-compiler";
        CompilerSettings own = compilerSettings("stockade-compiler-probe", "stockade-compiler-probe");
        Properties consumer = CompilerClientConfigs.consumer(own);
        Properties producer = CompilerClientConfigs.transactionalProducer(own);
        for (String topic : List.of(RESOURCES, CONTROL)) {
            allow(user, "read " + topic + " in group stockade-compiler-probe",
                    () -> KafkaAccess.readInGroup(consumer, "stockade-compiler-probe", topic));
        }
        for (String topic : List.of(RULES, STATUS, DEADLETTER)) {
            allow(user, "write " + topic + " in transaction stockade-compiler-probe",
                    () -> KafkaAccess.writeInTransaction(producer, topic, "probe", PROBE));
        }
        for (String topic : List.of(RESOURCES, CONTROL)) {
            refuse(user, "write " + topic, () -> KafkaAccess.writeInTransaction(producer, topic, "probe", PROBE));
        }
        for (String topic : List.of(RULES, STATUS, DEADLETTER)) {
            refuse(user, "read " + topic, () -> KafkaAccess.readInGroup(consumer, "stockade-compiler-probe", topic));
        }
        refuse(user, "read " + RESOURCES + " in group stockade-dispatcher-probe",
                () -> KafkaAccess.readInGroup(consumer, "stockade-dispatcher-probe", RESOURCES));
        CompilerSettings foreign = compilerSettings("stockade-compiler-probe", "stockade-dispatcher-probe");
        refuse(user, "use transactional id stockade-dispatcher-probe", () -> KafkaAccess.writeInTransaction(
                CompilerClientConfigs.transactionalProducer(foreign), RULES, "probe", PROBE));
    }

    /** Reads rules in its pool's group and resources without one; writes status and resync requests. */
    private void dispatcher() {
        String user = "stockade-dispatcher";
        DispatcherSettings probe = dispatcherSettings("probe");
        Properties rules = DispatcherClientConfigs.rulesConsumer(probe);
        Map<String, Object> reader = map(DispatcherClientConfigs.resourcesReader(probe));
        Map<String, Object> producer = map(DispatcherClientConfigs.producer(probe));
        allow(user, "read " + RULES + " in group stockade-dispatcher-probe",
                () -> KafkaAccess.readInGroup(rules, probe.groupId(), RULES));
        allow(user, "read " + RESOURCES + " without a group", () -> KafkaAccess.readWithoutGroup(reader, RESOURCES));
        byte[] resync = WireJson.encode(ControlRecord.resync(List.of("probe-node"), "stockade-dispatcher-probe/probe"));
        allow(user, "write " + CONTROL, () -> KafkaAccess.write(producer, CONTROL, "stockade-dispatcher-probe/probe", resync));
        allow(user, "write " + STATUS, () -> KafkaAccess.write(producer, STATUS, "Node//probe-node", null));
        for (String topic : List.of(RESOURCES, RULES, DEADLETTER)) {
            refuse(user, "write " + topic, () -> KafkaAccess.write(producer, topic, "probe", PROBE));
        }
        for (String topic : List.of(STATUS, CONTROL, DEADLETTER)) {
            refuse(user, "read " + topic, () -> KafkaAccess.readWithoutGroup(reader, topic));
        }
        refuse(user, "read " + RULES + " in group stockade-compiler-probe",
                () -> KafkaAccess.readInGroup(rules, "stockade-compiler-probe", RULES));
        refuse(user, "use transactional id stockade-dispatcher-probe",
                () -> KafkaAccess.writeInTransaction(transactional(producer, "stockade-dispatcher-probe"), STATUS, "probe", PROBE));
    }

    /** {@code stockade replay} / {@code stockade status}: group-less readers only. */
    private void cli() {
        String user = "stockade-cli";
        Map<String, Object> kafka = kafka(user, passwords.get(user));
        Map<String, Object> reader = KafkaClientProperties.groupLessConsumer(kafka, "probe-cli");
        for (String topic : List.of(RESOURCES, RULES, STATUS)) {
            allow(user, "read " + topic + " without a group", () -> KafkaAccess.readWithoutGroup(reader, topic));
        }
        for (String topic : List.of(CONTROL, DEADLETTER)) {
            refuse(user, "read " + topic, () -> KafkaAccess.readWithoutGroup(reader, topic));
        }
        Map<String, Object> producer = KafkaClientProperties.producer(kafka, "probe-cli", Duration.ofSeconds(10));
        refuse(user, "write " + RESOURCES, () -> KafkaAccess.write(producer, RESOURCES, "probe", PROBE));
        refuse(user, "read " + RESOURCES + " in group stockade-cli-probe",
                () -> KafkaAccess.readInGroup(properties(reader), "stockade-cli-probe", RESOURCES));
    }

    private void authentication() {
        Map<String, Object> wrong = KafkaClientProperties.producer(
                kafka("stockade-listener", passwords.get("stockade-compiler")), "probe-wrong-password", Duration.ofSeconds(10));
        refuse("stockade-listener", "authenticate with the compiler's password",
                () -> KafkaAccess.write(wrong, RESOURCES, "Pod/probe/probe", null));
        Map<String, Object> agent = KafkaClientProperties.groupLessConsumer(
                kafka("stockade-agent", passwords.get("stockade-listener")), "probe-agent");
        refuse("stockade-agent", "authenticate (no such KafkaUser)", () -> KafkaAccess.readWithoutGroup(agent, RESOURCES));
    }

    private void allow(String user, String what, KafkaAccess.Attempt attempt) {
        rows.add(new Row(user, what, true, attempt));
    }

    private void refuse(String user, String what, KafkaAccess.Attempt attempt) {
        rows.add(new Row(user, what, false, attempt));
    }

    /** The listener's Kafka settings: every KAFKA_* variable of its pod ({@code ListenerLifecycle}). */
    private Map<String, Object> kafka(String user, String password) {
        Map<String, String> env = environment.apply(user, password);
        return KafkaClientProperties.fromConfig(env.keySet(), name -> Optional.ofNullable(env.get(name)));
    }

    /** As CompilerService builds them, with a probe group and transactional id. */
    private CompilerSettings compilerSettings(String group, String transactionalId) {
        Map<String, String> env = environment.apply("stockade-compiler", passwords.get("stockade-compiler"));
        CompilerSettings d = CompilerSettings.defaults(env.get("KAFKA_BOOTSTRAP_SERVERS"), "probe");
        return new CompilerSettings(d.bootstrapServers(), d.resourcesTopic(), d.rulesTopic(), d.statusTopic(),
                d.deadLetterTopic(), d.controlTopic(), group, transactionalId, d.replicaId(), d.maxBatch(), d.pollTimeout(),
                KafkaClientProperties.withoutBootstrap(env.keySet(), name -> Optional.ofNullable(env.get(name))));
    }

    /** As DispatcherService builds them, for {@code pool}. */
    private DispatcherSettings dispatcherSettings(String pool) {
        Map<String, String> env = environment.apply("stockade-dispatcher", passwords.get("stockade-dispatcher"));
        DispatcherSettings d = DispatcherSettings.defaults(env.get("KAFKA_BOOTSTRAP_SERVERS"), pool, "probe");
        return new DispatcherSettings(d.pool(), d.replicaId(), d.bootstrapServers(), d.resourcesTopic(), d.rulesTopic(),
                d.statusTopic(), d.controlTopic(), d.ringSize(), d.maxInFlight(), d.resyncRetry(), d.pollTimeout(),
                KafkaClientProperties.withoutBootstrap(env.keySet(), name -> Optional.ofNullable(env.get(name))));
    }

    private static Properties transactional(Map<String, Object> producer, String transactionalId) {
        Properties properties = properties(producer);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return properties;
    }

    private static Properties properties(Map<String, Object> config) {
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    private static Map<String, Object> map(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        properties.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }
}
