package io.taskcenter.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th wait in a row is uniform in [0, min(max, initial · 2ⁿ)],
 * so that workers cut off together do not come back together.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.toMillis() < 1 || max.compareTo(initial) < 0 || max.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("backoff needs 1 ms <= initial <= max <= 1 h, got " + initial
                    + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The wait before the next try, one more failure in a row. */
    synchronized Duration next() {
        long ceiling = failures >= 62 ? maxMillis : Math.min(maxMillis, initialMillis << Math.min(failures, 40));
        failures++;
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }

    /** A connection was welcomed: the next failure starts from the initial wait again. */
    synchronized void reset() {
        failures = 0;
    }
}
