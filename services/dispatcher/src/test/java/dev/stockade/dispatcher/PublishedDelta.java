package dev.stockade.dispatcher;

/** A node's delta as the compiler published it on {@code stockade.rules}: generation and Kafka record timestamp. */
public record PublishedDelta(String node, long generation, long timestampMillis) {
}
