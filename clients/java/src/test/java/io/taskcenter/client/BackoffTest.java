package io.taskcenter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesTheCeilingUpToTheMaximumAndStartsOverAfterAWelcome() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            waits.add(backoff.next().toMillis());
        }
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L), waits);

        backoff.reset();
        assertEquals(500, backoff.next().toMillis());
    }

    @Test
    void jitterSpreadsEachWaitBelowItsCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.25);
        assertEquals(125, backoff.next().toMillis());
        assertEquals(250, backoff.next().toMillis());
    }

    @Test
    void staysCappedAfterVeryManyFailures() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(30), () -> 1.0);
        for (int i = 0; i < 200; i++) {
            backoff.next();
        }
        assertEquals(30000, backoff.next().toMillis());
    }

    @Test
    void refusesAMaximumBelowTheInitialWait() {
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 0));
    }
}
