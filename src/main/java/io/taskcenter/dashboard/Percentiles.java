package io.taskcenter.dashboard;

/**
 * Latency percentiles in milliseconds over a window, and how many values it held; null figures when it held none.
 */
public record Percentiles(Double p50, Double p99, long count) {

    static final Percentiles NONE = new Percentiles(null, null, 0);
}
