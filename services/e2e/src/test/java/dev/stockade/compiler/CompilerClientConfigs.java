package dev.stockade.compiler;

import java.util.Properties;

/**
 * The compiler's own Kafka client configurations ({@link KafkaClients} is package-private), for
 * tests that check what a compiler's clients may do with the compiler's Kafka user.
 */
public final class CompilerClientConfigs {

    private CompilerClientConfigs() {
    }

    /** The consumer of the compiler's group (resources and control topics). */
    public static Properties consumer(CompilerSettings settings) {
        return KafkaClients.consumer(settings);
    }

    /** The transactional producer (rules, status, dead letters). */
    public static Properties transactionalProducer(CompilerSettings settings) {
        return KafkaClients.transactionalProducer(settings);
    }
}
