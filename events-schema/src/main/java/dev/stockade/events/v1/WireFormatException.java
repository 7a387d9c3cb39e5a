package dev.stockade.events.v1;

/** A record that cannot be decoded: not JSON, missing fields, or an unknown schema version. */
public final class WireFormatException extends Exception {

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public WireFormatException(String message) {
        super(message);
    }
}
