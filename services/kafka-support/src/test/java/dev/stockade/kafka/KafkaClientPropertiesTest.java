package dev.stockade.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static final Map<String, String> CONFIG = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093",
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required password=\"s3cret\";",
            "kafka.ssl.truststore.type", "PEM",
            "kafka.acks", "1",
            "stockade.topics.resources", "stockade.resources",
            "KAFKA_EMPTY", "");

    @Test
    void kafkaPropertiesAndEnvironmentVariablesBecomeClientProperties() {
        Map<String, Object> properties = KafkaClientProperties.fromConfig(CONFIG.keySet(),
                name -> Optional.ofNullable(CONFIG.get(name)));
        assertEquals("kafka:9093", properties.get("bootstrap.servers"));
        assertEquals("SASL_SSL", properties.get("security.protocol"));
        assertEquals("PEM", properties.get("ssl.truststore.type"));
        assertFalse(properties.containsKey("topics.resources"));
        assertFalse(properties.containsKey("empty"), "empty values are not set");
    }

    @Test
    void theProducerIsIdempotentWithAcksAllWhateverTheConfigurationSays() {
        Map<String, Object> producer = KafkaClientProperties.producer(Map.of("acks", "1", "enable.idempotence", "false"),
                "listener-0", Duration.ofSeconds(120));
        assertEquals("all", producer.get("acks"));
        assertEquals(true, producer.get("enable.idempotence"));
        assertEquals(120_000, producer.get("delivery.timeout.ms"));
    }

    @Test
    void secretsAreRedactedForLogs() {
        Map<String, Object> shown = KafkaClientProperties.redacted(Map.of("sasl.jaas.config", "password=x",
                "ssl.key.password", "y", "ssl.keystore.key", "z", "bootstrap.servers", "kafka:9093"));
        assertEquals("<redacted>", shown.get("sasl.jaas.config"));
        assertEquals("<redacted>", shown.get("ssl.key.password"));
        assertEquals("<redacted>", shown.get("ssl.keystore.key"));
        assertEquals("kafka:9093", shown.get("bootstrap.servers"));
        assertFalse(shown.toString().contains("password=x"));
    }
}
