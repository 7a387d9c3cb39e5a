package dev.stockade.agent;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: {@code initial * 2^(attempt-1)} capped at {@code max}, then "full jitter" scaled to
 * [50 %, 100 %] of that (so a pool's agents, dropped together by a dispatcher restart, do not return
 * together). {@code random} supplies values in [0, 1).
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The delay before attempt {@code attempt} (1 = the first reconnect). */
    public Duration delay(int attempt) {
        long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(Math.max(base, 1), max.toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + 0.5 * random.getAsDouble())));
    }
}
