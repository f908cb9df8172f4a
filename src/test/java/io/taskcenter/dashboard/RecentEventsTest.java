package io.taskcenter.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.taskcenter.dispatch.Effect;

class RecentEventsTest {

    private final RecentEvents events = new RecentEvents(Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void recordsNothingWhileNoPageWatches() {
        long cursor = events.cursor();
        events.on(joined("1"));

        assertThat(events.since(cursor, 10)).isEmpty();
    }

    @Test
    void aPageGetsWhatHappenedSinceItsCursorOldestFirst() {
        events.watch();
        events.on(joined("1"));
        long cursor = events.cursor();
        events.on(joined("2"));
        events.on(left("2"));

        assertThat(events.since(cursor, 10)).extracting(RecentEvents.Event::kind, RecentEvents.Event::workerId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("joined", "2"),
                        org.assertj.core.groups.Tuple.tuple("left", "2"));
    }

    @Test
    void aSlowPageGetsTheNewestEventsNotABacklog() {
        events.watch();
        long cursor = events.cursor();
        for (int i = 0; i < RecentEvents.KEPT * 2; i++) {
            events.on(joined("w" + i));
        }

        assertThat(events.since(cursor, 5)).extracting(RecentEvents.Event::workerId)
                .containsExactly("w507", "w508", "w509", "w510", "w511");
        assertThat(events.since(cursor, 1_000)).hasSize(RecentEvents.KEPT);
    }

    @Test
    void stopsRecordingWhenTheLastPageLeaves() {
        events.watch();
        events.unwatch();
        long cursor = events.cursor();
        events.on(joined("1"));

        assertThat(events.since(cursor, 10)).isEmpty();
    }

    private static Effect.Joined joined(String id) {
        return new Effect.Joined(WorkerFixture.worker(id));
    }

    private static Effect.Left left(String id) {
        return new Effect.Left(WorkerFixture.worker(id));
    }
}
