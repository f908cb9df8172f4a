package io.taskcenter.dashboard;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Percentiles over the last stretch of time of a cumulative histogram, such as a Micrometer timer's percentile
 * histogram: the counts of the window are the newest snapshot minus the oldest one still inside the window, so a
 * spike a minute ago does not stay in the figures forever, and recording a task costs nothing extra. Snapshots
 * are taken only while someone looks, so the window is measured in time, never in snapshots.
 *
 * <p>Not thread-safe: one caller adds snapshots and reads percentiles.
 */
final class LatencyWindow {

    private record Snapshot(long atMillis, double[] cumulative) {
    }

    private final long windowMillis;
    private final ArrayDeque<Snapshot> snapshots = new ArrayDeque<>();
    private double[] boundsMillis = new double[0];

    LatencyWindow(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive, got " + window);
        }
        this.windowMillis = window.toMillis();
    }

    /**
     * Adds a snapshot taken at {@code atMillis}, and forgets those from before the window.
     *
     * @param boundsMillis the upper bound of each bucket, ascending; the last may be infinite, to count every value
     * @param cumulative the number of values at or below each bound since the histogram started
     */
    void add(long atMillis, double[] boundsMillis, double[] cumulative) {
        if (boundsMillis.length != cumulative.length) {
            throw new IllegalArgumentException("bounds and counts differ in length");
        }
        if (!Arrays.equals(this.boundsMillis, boundsMillis)) {
            // Other buckets (a type's timer appeared): counts from before are not comparable.
            snapshots.clear();
            this.boundsMillis = boundsMillis.clone();
        }
        snapshots.addLast(new Snapshot(atMillis, cumulative.clone()));
        while (snapshots.peekFirst().atMillis() < atMillis - windowMillis) {
            snapshots.removeFirst();
        }
    }

    Percentiles percentiles() {
        if (snapshots.size() < 2) {
            return Percentiles.NONE;
        }
        double[] newest = snapshots.peekLast().cumulative();
        double[] oldest = snapshots.peekFirst().cumulative();
        double[] window = new double[newest.length];
        for (int i = 0; i < window.length; i++) {
            window[i] = newest[i] - oldest[i];
        }
        long count = window.length == 0 ? 0 : Math.round(window[window.length - 1]);
        if (count == 0) {
            return Percentiles.NONE;
        }
        return new Percentiles(quantile(window, 0.50), quantile(window, 0.99), count);
    }

    /** The value below which {@code q} of the window's values fall, interpolated within its bucket. */
    private double quantile(double[] window, double q) {
        double total = window[window.length - 1];
        double rank = q * total;
        for (int i = 0; i < window.length; i++) {
            if (window[i] >= rank) {
                double lower = i == 0 ? 0 : boundsMillis[i - 1];
                double below = i == 0 ? 0 : window[i - 1];
                double inBucket = window[i] - below;
                if (Double.isInfinite(boundsMillis[i])) {
                    return lower; // beyond the largest bucket: at least that much
                }
                double share = inBucket == 0 ? 1 : (rank - below) / inBucket;
                return lower + (boundsMillis[i] - lower) * share;
            }
        }
        return boundsMillis[boundsMillis.length - 1];
    }
}
