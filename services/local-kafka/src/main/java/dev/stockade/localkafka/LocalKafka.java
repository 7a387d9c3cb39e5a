package dev.stockade.localkafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real, single-node Kafka broker (KRaft, {@code process.roles=broker,controller}) running in the
 * current JVM, on free ports of 127.0.0.1, with its log in a temporary directory
 * ({@code stockade-kafka-<pid>-*}) that {@link #close()} deletes, and that {@link #removeStale()}
 * deletes once its JVM is gone (killed before it could close the broker). Or one node of a
 * cluster whose nodes each run in a JVM of their own ({@link #startClusterNode}, a
 * {@link ClusterLayout}: fixed ports and ids, a log directory kept across restarts), for the
 * chaos harness's 3 brokers that it kills with {@code kill -9}.
 *
 * <p>Why in-JVM: there is no Docker on the developer machines or in CI, and the embedded demo
 * ({@code stockade demo}) must start a broker on a fresh machine with nothing installed. It is
 * the same broker code as a production Kafka 4.1 node, so transactions, compaction, idempotent
 * producers and read_committed behave as they do in production. Settings are sized for a small
 * heap: internal topics have one partition and replication factor 1, the log cleaner's dedupe
 * buffer is 2 MB (the 128 MB default would not fit a 256 MB heap), two network and I/O threads.
 *
 * <p>{@link #startSaslSsl} adds what the deployment's clients meet (Strimzi's internal listener):
 * a SASL_SSL listener, SCRAM-SHA-512 over TLS, and ACLs enforced by {@code StandardAuthorizer}.
 * See the module's README for what was verified and how.
 */
public final class LocalKafka implements AutoCloseable {

    /** The SCRAM mechanism of the SASL_SSL listener (the one the deployment's KafkaUsers use). */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private static final String SASL_SSL = "SASL_SSL";
    private static final String DIRECTORY_PREFIX = "stockade-kafka-";

    private final Path directory;
    private final boolean ownsDirectory;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Topics topics;
    private final Optional<SaslSsl> saslSsl;

    /** The secured client listener: its address and the certificate clients trust. */
    private record SaslSsl(String bootstrapServers, Path certificatePem) {
    }

    private LocalKafka(Path directory, boolean ownsDirectory, KafkaRaftServer server, String bootstrapServers,
                       short replicationFactor, Optional<SaslSsl> saslSsl) {
        this.directory = directory;
        this.ownsDirectory = ownsDirectory;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.topics = new Topics(bootstrapServers, replicationFactor);
        this.saslSsl = saslSsl;
    }

    /** Starts a broker with the default settings; returns when it accepts clients. */
    public static LocalKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker; {@code overrides} are broker properties that replace the defaults (e.g.
     * {@code auto.create.topics.enable=false}). Returns when the broker accepts clients.
     */
    public static LocalKafka start(Map<String, String> overrides) {
        return start(overrides, false);
    }

    /**
     * Starts a broker with a second client listener, SASL_SSL ({@link #saslSslBootstrapServers()}):
     * SCRAM-SHA-512 over TLS with a throwaway self-signed certificate for 127.0.0.1, made here and
     * deleted with the broker ({@link #trustedCertificatePem()}), and ACLs enforced by Kafka's KRaft
     * authorizer ({@code StandardAuthorizer}; no ACL, no access). The PLAINTEXT listener stays, on
     * loopback, for the controller, the broker itself and {@link #admin()}: its principal,
     * {@code User:ANONYMOUS}, is the only super user. Users come from {@link #createScramUser}, ACLs
     * from {@code admin().createAcls(...)}.
     */
    public static LocalKafka startSaslSsl(Map<String, String> overrides) {
        return start(overrides, true);
    }

    private static LocalKafka start(Map<String, String> overrides, boolean withSaslSsl) {
        Path directory = null;
        try {
            directory = Files.createTempDirectory(DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-");
            int brokerPort = FreePorts.next();
            int controllerPort = FreePorts.next();
            Properties properties = brokerProperties(directory, brokerPort, controllerPort);
            Optional<SaslSsl> saslSsl = Optional.empty();
            if (withSaslSsl) {
                int saslSslPort = FreePorts.next();
                ThrowawayTls tls = ThrowawayTls.create(Files.createDirectory(directory.resolve("tls")));
                properties.putAll(saslSslProperties(brokerPort, controllerPort, saslSslPort, tls));
                saslSsl = Optional.of(new SaslSsl("127.0.0.1:" + saslSslPort, tls.certificatePem()));
            }
            properties.putAll(overrides);
            KafkaConfig config = KafkaConfig.fromProps(properties, false);
            format(config, directory);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            LocalKafka kafka = new LocalKafka(directory, true, server, "127.0.0.1:" + brokerPort, (short) 1, saslSsl);
            kafka.topics.awaitBrokers(1);
            return kafka;
        } catch (Exception e) {
            if (directory != null) {
                Directories.deleteQuietly(directory);
            }
            throw new IllegalStateException("local Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Starts node {@code nodeId} of {@code layout}, a cluster whose nodes each run in a JVM of their
     * own (combined broker and controller; the controllers are a static quorum of every node of the
     * layout), with its log under {@code directory}: formatted with the layout's cluster id on the
     * first start, reused as it is on every later one (a node killed with {@code kill -9} comes back
     * with the same id, ports and log, recovers it and catches up from the others), and kept by
     * {@link #close()}: the caller owns it. Settings: {@link SmallFootprint#replicated()} for three
     * nodes or more (topics and internal topics with RF 3 and min ISR 2), {@link SmallFootprint#singleNode()}
     * for one, then {@code overrides}. {@link #createTopic} and {@link #admin()} reach this node;
     * clients take {@link ClusterLayout#bootstrapServers()}. Returns when this node accepts clients
     * (on a first start, which needs a quorum, once a majority of the nodes runs).
     */
    public static LocalKafka startClusterNode(ClusterLayout layout, int nodeId, Path directory, Map<String, String> overrides) {
        try {
            ClusterLayout.Node node = layout.node(nodeId);
            int size = layout.nodes().size();
            if (size == 2) {
                throw new IllegalArgumentException("two voters cannot lose one; a cluster has 1 node or 3 and more");
            }
            Properties properties = brokerProperties(directory, node.id(), node.brokerPort(), node.controllerPort(),
                    layout.voters(), size == 1 ? SmallFootprint.singleNode() : SmallFootprint.replicated());
            properties.putAll(overrides);
            KafkaConfig config = KafkaConfig.fromProps(properties, false);
            if (!Files.exists(directory.resolve("log").resolve("meta.properties"))) {
                Files.createDirectories(directory);
                format(config, directory, layout.clusterId());
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            LocalKafka kafka = new LocalKafka(directory, false, server, "127.0.0.1:" + node.brokerPort(),
                    (short) Math.min(size, 3), Optional.empty());
            kafka.topics.awaitBrokers(1);
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("Kafka node " + nodeId + " did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the broker directories ({@code stockade-kafka-<pid>-*} in the temp folder) of JVMs that
     * are gone, e.g. a demo killed with {@code kill -9}; returns how many. Directories of running JVMs
     * (and those named without a pid, by older versions) are left alone.
     */
    public static int removeStale() {
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile(DIRECTORY_PREFIX + "(\\d+)-.*");
        int removed = 0;
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                java.util.regex.Matcher matcher = ours.matcher(entry.getFileName().toString());
                if (matcher.matches() && Files.isDirectory(entry)
                        && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                    Directories.deleteQuietly(entry);
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover is untidy, not wrong
        }
        return removed;
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * {@code host:port} of the SASL_SSL listener (clients: {@code security.protocol=SASL_SSL},
     * {@code sasl.mechanism=SCRAM-SHA-512}, the trust store below); only with {@link #startSaslSsl}.
     */
    public String saslSslBootstrapServers() {
        return secured().bootstrapServers();
    }

    /**
     * The SASL_SSL listener's certificate as PEM, for {@code ssl.truststore.type=PEM} and
     * {@code ssl.truststore.location}; only with {@link #startSaslSsl}. Host name verification
     * works: the certificate names 127.0.0.1 and localhost.
     */
    public Path trustedCertificatePem() {
        return secured().certificatePem();
    }

    /**
     * Creates or replaces the SCRAM-SHA-512 credential of {@code user} (4096 iterations, Strimzi's
     * choice) through the super user's Admin client; returns once the controller has committed it.
     */
    public void createScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            // The message names the user only: the password is not part of any Kafka error.
            throw new IllegalStateException("cannot create the SCRAM user " + user + ": " + e.getMessage(), e);
        }
    }

    /**
     * An Admin client on the PLAINTEXT listener; on a {@link #startSaslSsl} broker it acts as the
     * super user (ACLs, SCRAM users, topics). The caller closes it.
     */
    public Admin admin() {
        return topics.admin();
    }

    /**
     * Creates a topic with replication factor 1, or does nothing when it exists. A compacted
     * topic keeps the latest record per key ({@code cleanup.policy=compact}).
     */
    public void createTopic(String name, int partitions, boolean compacted) {
        topics.create(name, partitions, compacted ? Map.of("cleanup.policy", "compact") : Map.of());
    }

    /** Stops the broker and deletes its directory (a {@link #startClusterNode} node keeps its directory). */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (ownsDirectory) {
                Directories.deleteQuietly(directory);
            }
        }
    }

    private SaslSsl secured() {
        return saslSsl.orElseThrow(() -> new IllegalStateException("this broker has no SASL_SSL listener: start it with startSaslSsl"));
    }

    /**
     * The SASL_SSL listener next to PLAINTEXT and CONTROLLER: SCRAM-SHA-512 only (its JAAS entry
     * names the login module and no credentials: no broker logs in through it), TLS from the
     * throwaway key store, no client certificates; StandardAuthorizer with the PLAINTEXT principal
     * as super user, since the controller and the broker talk over PLAINTEXT.
     */
    private static Map<String, String> saslSslProperties(int brokerPort, int controllerPort, int saslSslPort,
                                                         ThrowawayTls tls) {
        String prefix = "listener.name." + SASL_SSL.toLowerCase(java.util.Locale.ROOT) + ".";
        Map<String, String> p = new java.util.HashMap<>();
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                + "," + SASL_SSL + "://127.0.0.1:" + saslSslPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + SASL_SSL + "://127.0.0.1:" + saslSslPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT," + SASL_SSL + ":SASL_SSL");
        p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put(prefix + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.location", tls.keyStore().toString());
        p.put(prefix + "ssl.keystore.password", tls.keyStorePassword());
        p.put(prefix + "ssl.key.password", tls.keyStorePassword());
        p.put(prefix + "ssl.client.auth", "none");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:ANONYMOUS");
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    private static Properties brokerProperties(Path directory, int brokerPort, int controllerPort) {
        return brokerProperties(directory, 1, brokerPort, controllerPort, "1@127.0.0.1:" + controllerPort,
                SmallFootprint.singleNode());
    }

    private static Properties brokerProperties(Path directory, int nodeId, int brokerPort, int controllerPort,
                                               String voters, Map<String, String> footprint) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", directory.resolve("log").toString());
        p.putAll(footprint);
        return p;
    }

    /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does. */
    private static void format(KafkaConfig config, Path directory) throws Exception {
        format(config, directory, org.apache.kafka.common.Uuid.randomUuid().toString());
    }

    private static void format(KafkaConfig config, Path directory, String clusterId) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(clusterId)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(directory.resolve("log").toString())
                .addDirectory(directory.resolve("log").toString())
                .run();
    }

    /** Recursive delete that never throws: a leftover temp dir must not fail a shutdown. */
    static final class Directories {
        private Directories() {
        }

        static void deleteQuietly(Path directory) {
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException ignored) {
                        // best effort: the OS cleans temp dirs eventually
                    }
                });
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        }
    }
}
