package dev.stockade.localkafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A real, single-node Kafka broker (KRaft, {@code process.roles=broker,controller}) running in the
 * current JVM, on free ports of 127.0.0.1, with its log in a temporary directory that
 * {@link #close()} deletes.
 *
 * <p>Why in-JVM: there is no Docker on the developer machines or in CI, and the embedded demo
 * ({@code stockade demo}) must start a broker on a fresh machine with nothing installed. It is
 * the same broker code as a production Kafka 4.1 node, so transactions, compaction, idempotent
 * producers and read_committed behave as they do in production. Settings are sized for a small
 * heap: internal topics have one partition and replication factor 1, the log cleaner's dedupe
 * buffer is 2 MB (the 128 MB default would not fit a 256 MB heap), two network and I/O threads.
 */
public final class LocalKafka implements AutoCloseable {

    private final Path directory;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Topics topics;

    private LocalKafka(Path directory, KafkaRaftServer server, String bootstrapServers) {
        this.directory = directory;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.topics = new Topics(bootstrapServers, (short) 1);
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
        Path directory = null;
        try {
            directory = Files.createTempDirectory("stockade-kafka-");
            int brokerPort = FreePorts.next();
            int controllerPort = FreePorts.next();
            Properties properties = brokerProperties(directory, brokerPort, controllerPort);
            properties.putAll(overrides);
            KafkaConfig config = KafkaConfig.fromProps(properties, false);
            format(config, directory);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            LocalKafka kafka = new LocalKafka(directory, server, "127.0.0.1:" + brokerPort);
            kafka.topics.awaitBrokers(1);
            return kafka;
        } catch (Exception e) {
            if (directory != null) {
                Directories.deleteQuietly(directory);
            }
            throw new IllegalStateException("local Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates a topic with replication factor 1, or does nothing when it exists. A compacted
     * topic keeps the latest record per key ({@code cleanup.policy=compact}).
     */
    public void createTopic(String name, int partitions, boolean compacted) {
        topics.create(name, partitions, compacted ? Map.of("cleanup.policy", "compact") : Map.of());
    }

    /** Stops the broker and deletes its directory. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            Directories.deleteQuietly(directory);
        }
    }

    private static Properties brokerProperties(Path directory, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", directory.resolve("log").toString());
        p.putAll(SmallFootprint.singleNode());
        return p;
    }

    /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does. */
    private static void format(KafkaConfig config, Path directory) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(org.apache.kafka.common.Uuid.randomUuid().toString())
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
