package dev.stockade.events.v1;

/**
 * Value of a {@code stockade.deadletter} record: a record a consumer could not decode, where it
 * came from, why, and its original key and value (as text, base64 when not UTF-8).
 */
public record DeadLetterRecord(int schemaVersion, String topic, int partition, long offset, String reason, String key,
                               String value, boolean valueBase64) {

    public static final int VERSION = 1;
}
