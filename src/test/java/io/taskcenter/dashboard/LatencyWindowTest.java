package io.taskcenter.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    private static final double[] BOUNDS = { 1, 2, 5, 10, Double.POSITIVE_INFINITY };

    @Test
    void needsTwoSnapshotsAndSomeValuesBetweenThem() {
        LatencyWindow window = new LatencyWindow(Duration.ofMinutes(1));
        assertThat(window.percentiles()).isEqualTo(Percentiles.NONE);
        window.add(1_000, BOUNDS, new double[] { 4, 4, 4, 4, 4 });
        assertThat(window.percentiles()).isEqualTo(Percentiles.NONE);
        window.add(2_000, BOUNDS, new double[] { 4, 4, 4, 4, 4 });
        assertThat(window.percentiles()).isEqualTo(Percentiles.NONE);
    }

    @Test
    void percentilesComeFromTheCountsAddedWithinTheWindowInterpolatedInTheirBucket() {
        LatencyWindow window = new LatencyWindow(Duration.ofMinutes(1));
        window.add(1_000, BOUNDS, new double[] { 0, 0, 0, 0, 0 });
        // 100 values: 50 up to 1 ms, 40 in (1, 2], 9 in (2, 5], 1 in (5, 10].
        window.add(2_000, BOUNDS, new double[] { 50, 90, 99, 100, 100 });

        Percentiles percentiles = window.percentiles();

        assertThat(percentiles.count()).isEqualTo(100);
        assertThat(percentiles.p50()).isCloseTo(1.0, within(1e-9));
        assertThat(percentiles.p99()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void aSnapshotFromLongAgoIsNoBaseline() {
        LatencyWindow window = new LatencyWindow(Duration.ofMinutes(1));
        window.add(0, BOUNDS, new double[] { 0, 0, 0, 0, 0 });
        // An hour later a page opens again: the hour's values are not "the last minute".
        window.add(3_600_000, BOUNDS, new double[] { 0, 0, 0, 100, 100 });

        assertThat(window.percentiles()).isEqualTo(Percentiles.NONE);
        window.add(3_601_000, BOUNDS, new double[] { 5, 5, 5, 105, 105 });
        assertThat(window.percentiles().count()).isEqualTo(5);
    }

    @Test
    void valuesOlderThanTheWindowLeaveTheFigures() {
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(1));
        window.add(1_000, BOUNDS, new double[] { 0, 0, 0, 0, 0 });
        window.add(2_000, BOUNDS, new double[] { 0, 0, 0, 10, 10 }); // a slow minute: 10 values in (5, 10]
        window.add(3_000, BOUNDS, new double[] { 10, 10, 10, 20, 20 }); // then 10 fast ones

        Percentiles percentiles = window.percentiles();

        assertThat(percentiles.count()).isEqualTo(10);
        assertThat(percentiles.p99()).isLessThanOrEqualTo(1.0);
    }

    @Test
    void aValueBeyondTheLargestBucketIsReportedAsAtLeastThatBucket() {
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(1));
        window.add(1_000, BOUNDS, new double[] { 0, 0, 0, 0, 0 });
        window.add(2_000, BOUNDS, new double[] { 0, 0, 0, 0, 3 });

        assertThat(window.percentiles().p50()).isEqualTo(10.0);
    }

    @Test
    void newBucketsStartTheWindowAgain() {
        LatencyWindow window = new LatencyWindow(Duration.ofMinutes(1));
        window.add(1_000, BOUNDS, new double[] { 0, 0, 0, 0, 0 });
        window.add(2_000, new double[] { 1, Double.POSITIVE_INFINITY }, new double[] { 5, 5 });

        assertThat(window.percentiles()).isEqualTo(Percentiles.NONE);
    }
}
