package io.taskcenter.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.taskcenter.api.WorkerView;
import io.taskcenter.broker.QueueDepths;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.registry.WorkerRegistry;
import io.taskcenter.stats.Histogram;
import io.taskcenter.stats.TaskStats;

/**
 * Takes the views {@code /api/live} sends. The picture shared by every open page (counts, workers, latency, the
 * broker's queue depths) is taken at most once per tick, however many pages are open; each page gets its own
 * events since its previous view.
 */
@ApplicationScoped
public class LiveViews {

    static final int MAX_EVENTS = 50;
    static final Duration LATENCY_WINDOW = Duration.ofMinutes(1);

    /** Where one page is in the stream of events. */
    static final class Cursor {
        private long next;

        Cursor(long next) {
            this.next = next;
        }
    }

    private record Shared(long takenAt, LiveView view) {
    }

    private final TaskStats stats;
    private final Dispatcher dispatcher;
    private final WorkerRegistry registry;
    private final Backlog backlog;
    private final RecentEvents events;
    private final long reuseNanos;
    private final LatencyWindow handover;
    private final LatencyWindow completion;
    private Shared shared;

    LiveViews(TaskStats stats, Dispatcher dispatcher, WorkerRegistry registry, QueueDepths depths,
            RecentEvents events, TaskCenterConfig config) {
        this.stats = stats;
        this.dispatcher = dispatcher;
        this.registry = registry;
        this.backlog = new Backlog(depths, config.dashboard().interval());
        this.events = events;
        Duration interval = config.dashboard().interval();
        // Pages tick out of step; half a tick keeps them to one picture per tick between them.
        this.reuseNanos = interval.toNanos() / 2;
        this.handover = new LatencyWindow(LATENCY_WINDOW);
        this.completion = new LatencyWindow(LATENCY_WINDOW);
    }

    /** A page starts watching: its first view has the picture, and no events from before it came. */
    Cursor open() {
        events.watch();
        return new Cursor(events.cursor());
    }

    void close(Cursor cursor) {
        events.unwatch();
    }

    LiveView view(Cursor cursor) {
        LiveView picture = picture();
        List<RecentEvents.Event> since = events.since(cursor.next, MAX_EVENTS);
        if (!since.isEmpty()) {
            cursor.next = since.get(since.size() - 1).seq() + 1;
        }
        return new LiveView(picture.at(), picture.totals(), picture.inFlight(), picture.waiting(), picture.workers(),
                picture.latency(), picture.backlog(), since);
    }

    private synchronized LiveView picture() {
        long now = System.nanoTime();
        if (shared != null && now - shared.takenAt() < reuseNanos) {
            return shared.view();
        }
        LiveView.Totals totals = new LiveView.Totals(stats.dispatchedCount(), stats.completedCount(),
                stats.failedCount(), stats.ackedCount(), stats.requeuedCount(), stats.deadLetteredCount());
        List<WorkerView> workers = registry.online().stream().map(WorkerView::of)
                .sorted(Comparator.comparing(WorkerView::id)).toList();
        Instant at = Instant.now();
        LiveView view = new LiveView(at, totals, dispatcher.inFlight(), dispatcher.waiting(), workers,
                new LiveView.Latency(percentiles(now, handover, stats.handoverHistogram()),
                        percentiles(now, completion, stats.completionHistogram())),
                backlog.latest(), List.of());
        shared = new Shared(now, view);
        return view;
    }

    /** {@code nanos} from the monotonic clock: a wall clock set back would keep old snapshots in the window. */
    private static Percentiles percentiles(long nanos, LatencyWindow window, Histogram histogram) {
        window.add(nanos / 1_000_000, histogram.boundsMillis(), histogram.cumulative());
        return window.percentiles();
    }
}
