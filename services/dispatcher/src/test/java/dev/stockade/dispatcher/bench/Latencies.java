package dev.stockade.dispatcher.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collected latencies (ms) and their percentiles (nearest rank). Thread-safe. */
final class Latencies {

    private final List<Double> values = new ArrayList<>();

    synchronized void add(double millis) {
        values.add(millis);
    }

    synchronized int count() {
        return values.size();
    }

    synchronized double percentile(double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    String summary() {
        return String.format("n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms", count(), percentile(50), percentile(99),
                percentile(100));
    }
}
