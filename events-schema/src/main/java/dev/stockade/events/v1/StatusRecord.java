package dev.stockade.events.v1;

/**
 * Value of a {@code stockade.status} record (key: {@code Kind/namespace/name} of the object it is
 * about). {@code type} says which fields are set:
 * <ul>
 *   <li>{@code Rejected}: the compiler refused the object; {@code field} and {@code reason} say why.</li>
 *   <li>{@code Accepted}: a previously rejected object is valid again.</li>
 * </ul>
 * Later types (realized generations per node) add fields without changing these.
 */
public record StatusRecord(int schemaVersion, String type, String kind, String namespace, String name, String field,
                           String reason, long observedAtMillis) {

    public static final int VERSION = 1;
    public static final String REJECTED = "Rejected";
    public static final String ACCEPTED = "Accepted";
}
