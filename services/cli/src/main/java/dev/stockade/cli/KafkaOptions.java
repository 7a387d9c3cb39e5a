package dev.stockade.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/** How the commands that read topics reach Kafka: {@code --bootstrap} and {@code --kafka-property}. */
final class KafkaOptions {

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Kafka consumer property (TLS, SASL, ...); repeatable. Values are never printed.")
    List<String> kafkaProperties = new ArrayList<>();

    /** The {@code --kafka-property} entries by key. */
    Map<String, String> properties() {
        return KafkaPropertyArguments.parse(kafkaProperties);
    }

    /**
     * Runs a read; a bad property is an IllegalArgumentException, any other Kafka failure an
     * IllegalStateException starting with {@code failure}; neither shows a property value.
     */
    <T> T reading(Map<String, String> properties, String failure, Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad --kafka-property: " + KafkaPropertyArguments.redact(e.getMessage(),
                    properties));
        } catch (KafkaException e) {
            throw new IllegalStateException(failure + ": " + KafkaPropertyArguments.redact(e.getMessage(), properties));
        }
    }
}
