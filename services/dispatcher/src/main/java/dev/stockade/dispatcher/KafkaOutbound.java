package dev.stockade.dispatcher;

import dev.stockade.events.v1.ControlRecord;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a replica writes to Kafka: realization status ({@code stockade.status}, key {@code Node//<node>})
 * and resync requests ({@code stockade.control}, key = the replica). Idempotent producer, acks=all;
 * sends are asynchronous (an ACK never waits for Kafka) and a failed send is logged: the next ACK of
 * the node supersedes it, and a lost resync request is asked again after the retry period.
 *
 * <p>Status records are coalesced per node over {@value #STATUS_PERIOD_MS} ms: the topic is compacted
 * by node, so only a node's latest record matters, and a fan-out's thousand ACKs become one record
 * per node at most every period.
 */
final class KafkaOutbound implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaOutbound.class.getName());
    static final long STATUS_PERIOD_MS = 20;

    private final DispatcherSettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, StatusRecord> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    KafkaOutbound(DispatcherSettings settings) {
        this.settings = settings;
        this.producer = new KafkaProducer<>(properties(settings));
        this.flusher = Executors.newSingleThreadScheduledExecutor(DispatcherCore.daemon("dispatcher-status-" + settings.pool()));
        flusher.scheduleWithFixedDelay(this::flushStatus, STATUS_PERIOD_MS, STATUS_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    static Properties properties(DispatcherSettings settings) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-" + settings.replicaId());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.putAll(settings.kafkaProperties());
        return properties;
    }

    /** Queues the node's status; the latest per node is written within {@value #STATUS_PERIOD_MS} ms. */
    void status(StatusRecord status) {
        pending.put(status.node(), status);
    }

    private void flushStatus() {
        for (String node : List.copyOf(pending.keySet())) {
            StatusRecord status = pending.remove(node);
            if (status != null) {
                send(settings.statusTopic(), "Node//" + node, WireJson.encode(status));
            }
        }
    }

    /** Asks the active compiler for snapshots of these nodes (every node when empty). */
    void resync(List<String> nodes) {
        send(settings.controlTopic(), settings.groupId() + "/" + settings.replicaId(),
                WireJson.encode(ControlRecord.resync(nodes, settings.groupId() + "/" + settings.replicaId())));
    }

    private void send(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, failure) -> {
            if (failure != null) {
                LOG.warning("a record for " + topic + " (key " + key + ") was not written: " + failure.getMessage());
            }
        });
    }

    @Override
    public void close() {
        flusher.shutdown();
        flushStatus();
        producer.close(Duration.ofSeconds(2));
    }
}
