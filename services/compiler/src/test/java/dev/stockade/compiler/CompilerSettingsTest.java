package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings get logged at start-up and end up in exception messages: the Kafka secrets must not. */
class CompilerSettingsTest {

    @Test
    void printingTheSettingsNeverShowsTheKafkaSecrets() {
        CompilerSettings settings = new CompilerSettings("kafka:9093", "r", "rules", "s", "d", "c", "g", "t", "compiler-0", 500,
                java.time.Duration.ofMillis(100), Map.of("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"compiler\" password=\"hunter2\";",
                        "ssl.truststore.password", "changeit", "security.protocol", "SASL_SSL"));
        String printed = settings.toString();
        assertFalse(printed.contains("hunter2") || printed.contains("changeit"), printed);
        assertTrue(printed.contains("security.protocol=SASL_SSL") && printed.contains("replicaId=compiler-0"), printed);
    }
}
