package dev.stockade.events.v1;

/**
 * What a {@code stockade.rules} record is: its Kafka header {@value #TYPE_HEADER} says
 * {@value #DELTA} (value: {@link RuleDeltaRecord}) or {@value #SNAPSHOT} (value: {@link RuleSetRecord},
 * the node's whole rule set after its delta {@code generation}, sent on request; it does not use
 * up a generation). A record without the header is a delta.
 */
public final class RulesTopic {

    public static final String TYPE_HEADER = "stockade.type";
    public static final String DELTA = "delta";
    public static final String SNAPSHOT = "snapshot";

    private RulesTopic() {
    }

    /** True for a snapshot record; {@code typeHeader} is the header's value, null when absent (a delta). */
    public static boolean isSnapshot(byte[] typeHeader) {
        return typeHeader != null && SNAPSHOT.equals(new String(typeHeader, java.nio.charset.StandardCharsets.UTF_8));
    }
}
