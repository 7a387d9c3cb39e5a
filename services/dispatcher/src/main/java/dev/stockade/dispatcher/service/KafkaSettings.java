package dev.stockade.dispatcher.service;

import dev.stockade.kafka.KafkaClientProperties;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * Kafka client properties from configuration, as the listener and the compiler take them
 * ({@link KafkaClientProperties}): {@code kafka.x.y} and the environment's {@code KAFKA_X_Y} become
 * {@code x.y} (how the deployment passes TLS and SASL settings). Bootstrap servers come from
 * {@code stockade.dispatcher.bootstrap-servers}; values are never logged.
 */
final class KafkaSettings {

    private KafkaSettings() {
    }

    static Map<String, String> from(Config config) {
        Map<String, String> properties = new TreeMap<>();
        KafkaClientProperties.fromConfig(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class))
                .forEach((key, value) -> properties.put(key, String.valueOf(value)));
        properties.remove("bootstrap.servers");
        return properties;
    }
}
