package dev.stockade.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka client settings from configuration, Quarkus-style: every property {@code kafka.x.y}, and
 * every environment variable {@code KAFKA_X_Y} (as {@code x.y}), goes to the clients as
 * {@code x.y}. That is how the deployment passes bootstrap servers, TLS (truststore) and SASL
 * (mechanism, JAAS config from a Secret) without the listener knowing about either. The
 * services' own producer settings are applied on top and cannot be overridden where
 * correctness depends on them (idempotence, acks=all).
 */
public final class KafkaClientProperties {

    /** Keys whose values are never printed. */
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|jaas|secret|token|credential).*|.*\\.key$");

    private KafkaClientProperties() {
    }

    /** The {@code kafka.*} / {@code KAFKA_*} entries among {@code names}, prefix removed, lower case. */
    public static Map<String, Object> fromConfig(Iterable<String> names, Function<String, Optional<String>> lookup) {
        Map<String, Object> properties = new TreeMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.startsWith("kafka.") && !lower.startsWith("kafka_")) {
                continue;
            }
            String key = lower.substring("kafka.".length()).replace('_', '.');
            lookup.apply(name).filter(value -> !value.isEmpty()).ifPresent(value -> properties.put(key, value));
        }
        return properties;
    }

    /**
     * As {@link #fromConfig}, as strings and without {@code bootstrap.servers}: for the services
     * whose bootstrap servers are a setting of their own (compiler, dispatcher).
     */
    public static Map<String, String> withoutBootstrap(Iterable<String> names, Function<String, Optional<String>> lookup) {
        Map<String, String> properties = new TreeMap<>();
        fromConfig(names, lookup).forEach((key, value) -> properties.put(key, String.valueOf(value)));
        properties.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return properties;
    }

    /**
     * The producer: idempotent with {@code acks=all} (no duplicates or reordering from retries,
     * every record on all in-sync replicas), retrying for up to {@code deliveryTimeout}.
     */
    public static Map<String, Object> producer(Map<String, Object> common, String clientId, Duration deliveryTimeout) {
        Map<String, Object> p = new TreeMap<>(common);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        int requestTimeout = (int) Math.min(30_000, deliveryTimeout.toMillis() / 2);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return p;
    }

    /** A consumer that reads without a group (assigned partitions, nothing committed). */
    public static Map<String, Object> groupLessConsumer(Map<String, Object> common, String clientId) {
        Map<String, Object> c = new TreeMap<>(common);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Never create the topic by reading it: a broker-created topic would not be compacted.
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return c;
    }

    /** The properties with secret values replaced, for logs. */
    public static Map<String, Object> redacted(Map<String, Object> properties) {
        Map<String, Object> shown = new TreeMap<>();
        properties.forEach((key, value) -> shown.put(key, SECRET.matcher(key).matches() ? "<redacted>" : value));
        return shown;
    }
}
