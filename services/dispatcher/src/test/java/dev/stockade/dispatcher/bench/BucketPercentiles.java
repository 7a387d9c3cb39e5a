package dev.stockade.dispatcher.bench;

import io.micrometer.core.instrument.distribution.CountAtBucket;

/** Percentiles of what a histogram recorded between two snapshots (cumulative bucket counts); values are bucket upper bounds. */
final class BucketPercentiles {

    private BucketPercentiles() {
    }

    static String between(CountAtBucket[] before, CountAtBucket[] after) {
        double total = after[after.length - 1].count() - before[before.length - 1].count();
        return String.format("n=%.0f p50<=%.1f ms p99<=%.1f ms", total, bound(before, after, total, 0.50),
                bound(before, after, total, 0.99));
    }

    private static double bound(CountAtBucket[] before, CountAtBucket[] after, double total, double quantile) {
        for (int i = 0; i < after.length; i++) {
            if (after[i].count() - before[i].count() >= quantile * total) {
                return after[i].bucket(java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
