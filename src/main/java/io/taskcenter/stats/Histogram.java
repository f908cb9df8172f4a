package io.taskcenter.stats;

/**
 * A cumulative latency histogram: {@code cumulative[i]} values took at most {@code boundsMillis[i]} ms since the
 * service started. The last bound is infinite, so the last count is the number of all values.
 */
public record Histogram(double[] boundsMillis, double[] cumulative) {
}
