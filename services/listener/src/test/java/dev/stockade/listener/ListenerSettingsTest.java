package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings get logged at start-up and end up in exception messages: the Kafka secrets must not. */
class ListenerSettingsTest {

    @Test
    void printingTheSettingsNeverShowsTheKafkaSecrets() {
        Listener.Settings settings = new Listener.Settings("stockade.resources", Map.of("bootstrap.servers", "kafka:9093",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"listener\" password=\"hunter2\";",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----"), "listener-0", Duration.ofSeconds(30), Duration.ofMillis(500),
                Duration.ofSeconds(30));
        String printed = settings.toString();
        assertFalse(printed.contains("hunter2") || printed.contains("PRIVATE KEY"), printed);
        assertTrue(printed.contains("bootstrap.servers=kafka:9093") && printed.contains("clientId=listener-0"), printed);
    }
}
