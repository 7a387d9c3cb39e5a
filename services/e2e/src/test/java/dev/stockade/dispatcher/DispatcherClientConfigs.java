package dev.stockade.dispatcher;

import java.util.Properties;

/**
 * A dispatcher replica's own Kafka client configurations ({@link KafkaClients} and
 * {@link KafkaOutbound} are package-private), for tests that check what its clients may do with the
 * dispatcher's Kafka user.
 */
public final class DispatcherClientConfigs {

    private DispatcherClientConfigs() {
    }

    /** The pool's consumer of the rules topic (group {@code stockade-dispatcher-<pool>}). */
    public static Properties rulesConsumer(DispatcherSettings settings) {
        return KafkaClients.rulesConsumer(settings);
    }

    /** The group-less reader of the resources topic (Node records). */
    public static Properties resourcesReader(DispatcherSettings settings) {
        return KafkaClients.resourcesReader(settings);
    }

    /** The idempotent producer of status records and resync requests. */
    public static Properties producer(DispatcherSettings settings) {
        return KafkaOutbound.properties(settings);
    }
}
