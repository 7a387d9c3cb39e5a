package dev.stockade.listener;

import dev.stockade.kafka.KafkaClientProperties;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * A running listener, without Quarkus: a source, a leadership, a Kafka producer and the pipeline
 * between them. The Quarkus service ({@link ListenerLifecycle}) builds one from configuration;
 * the embedded demo and the tests build one directly, e.g.
 * {@code Listener.start(new DirectorySource(dir, Duration.ofMillis(500)), Leadership.sole(), settings, registry)}.
 */
public final class Listener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Listener.class);

    /**
     * What the listener needs besides its source and leadership.
     *
     * @param topic           the resources topic ({@code stockade.resources})
     * @param kafka           Kafka client properties: bootstrap servers, security ({@link KafkaClientProperties})
     * @param clientId        the Kafka client id prefix (the replica's name)
     * @param deliveryTimeout how long the producer retries one send before it counts as failed
     * @param retryEvery      how often failed sends are repeated (and the worker beats)
     * @param readTimeout     how long a reconcile may take to read the topic to its end
     */
    public record Settings(String topic, Map<String, Object> kafka, String clientId, Duration deliveryTimeout,
                           Duration retryEvery, Duration readTimeout) {

        /** As the record's, with secret Kafka properties (JAAS config, passwords, keys) shown as {@code <redacted>}. */
        @Override
        public String toString() {
            return "Settings[topic=" + topic + ", kafka=" + KafkaClientProperties.redacted(kafka)
                    + ", clientId=" + clientId + ", deliveryTimeout=" + deliveryTimeout + ", retryEvery=" + retryEvery
                    + ", readTimeout=" + readTimeout + "]";
        }
    }

    /** The transactional id every listener replica's producer uses by default. */
    public static final String TRANSACTIONAL_ID = "stockade-listener";

    private final ListenerPipeline pipeline;
    private final Leadership leadership;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Listener(ListenerPipeline pipeline, Leadership leadership) {
        this.pipeline = pipeline;
        this.leadership = leadership;
    }

    /** Starts the source, then enters the leadership; returns at once. */
    public static Listener start(ClusterSource source, Leadership leadership, Settings settings, MeterRegistry registry) {
        LOG.infof("listener starting: topic %s, kafka %s", settings.topic(),
                KafkaClientProperties.redacted(settings.kafka()));
        Map<String, Object> producerProperties = transactional(
                KafkaClientProperties.producer(settings.kafka(), settings.clientId(), settings.deliveryTimeout()));
        Supplier<Producer<String, byte[]>> producers = () -> new KafkaProducer<>(producerProperties,
                new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consumer = KafkaClientProperties.groupLessConsumer(settings.kafka(),
                settings.clientId() + "-reconcile");
        TopicReader reader = new TopicReader(
                () -> new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()),
                settings.topic(), settings.readTimeout());
        ListenerMetrics metrics = new ListenerMetrics(registry);
        ResourcePublisher publisher = new ResourcePublisher(producers, settings.topic(), metrics, Clock.systemUTC());
        ListenerPipeline pipeline = new ListenerPipeline(source, publisher, reader, metrics, Clock.systemUTC(),
                settings.retryEvery());
        pipeline.onFenced(leadership::resign);
        pipeline.start();
        leadership.start(pipeline);
        return new Listener(pipeline, leadership);
    }

    /**
     * The producer of every term: transactional, with one {@code transactional.id} shared by all
     * replicas ({@value #TRANSACTIONAL_ID} unless {@code kafka.transactional.id} says otherwise), so
     * that a new leader's producer fences the old one's. An open transaction of a leader that died
     * is aborted by the next leader's producer, or by the broker after {@code transaction.timeout.ms}
     * (10 s here: meanwhile {@code read_committed} readers wait at it).
     */
    static Map<String, Object> transactional(Map<String, Object> producer) {
        Map<String, Object> properties = new java.util.TreeMap<>(producer);
        properties.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        properties.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        return properties;
    }

    public ListenerPipeline pipeline() {
        return pipeline;
    }

    /** Leaves the leadership (releasing the Lease), stops the source, commits what is open and closes the producer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leadership.close();
        pipeline.close();
    }
}
