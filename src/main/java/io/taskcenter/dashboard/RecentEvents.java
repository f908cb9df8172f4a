package io.taskcenter.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import io.taskcenter.dispatch.Assignment;
import io.taskcenter.dispatch.DispatchListener;
import io.taskcenter.dispatch.Effect;

/**
 * The last things the dispatcher did (a task sent, done or failed, a worker joined or left), kept for the open
 * dashboards to show tasks moving. Only recorded while a page watches, so without one dispatch pays nothing.
 */
@Singleton
public class RecentEvents implements DispatchListener {

    /** What the live view shows of one event. */
    public record Event(long seq, Instant at, String kind, String workerId, String taskId, Integer taskType,
            String taskName, Integer attempt) {
    }

    static final int KEPT = 256;

    private final Clock clock;
    private final Event[] ring = new Event[KEPT];
    private final AtomicInteger watchers = new AtomicInteger();
    private long next = 1;

    @Inject
    RecentEvents() {
        this(Clock.systemUTC());
    }

    RecentEvents(Clock clock) {
        this.clock = clock;
    }

    /** A page started watching; pair with {@link #unwatch()}. */
    void watch() {
        watchers.incrementAndGet();
    }

    void unwatch() {
        watchers.decrementAndGet();
    }

    @Override
    public void on(Effect.Event event) {
        if (watchers.get() == 0) {
            return;
        }
        if (event instanceof Effect.Dispatched dispatched) {
            add("dispatched", dispatched.assignment());
        } else if (event instanceof Effect.Completed completed) {
            add("completed", completed.assignment());
        } else if (event instanceof Effect.Failed failed) {
            add("failed", failed.assignment());
        } else if (event instanceof Effect.Joined joined) {
            add("joined", joined.worker().id(), null, null, null, null);
        } else if (event instanceof Effect.Left left) {
            add("left", left.worker().id(), null, null, null, null);
        }
    }

    private void add(String kind, Assignment assignment) {
        add(kind, assignment.worker().id(), assignment.taskId(), assignment.task().type(), assignment.task().name(),
                assignment.attempt());
    }

    private synchronized void add(String kind, String workerId, String taskId, Integer type, String name,
            Integer attempt) {
        long seq = next++;
        ring[(int) (seq % KEPT)] = new Event(seq, clock.instant(), kind, workerId, taskId, type, name, attempt);
    }

    /** The sequence number the next event gets; events after a cursor at this value are new ones. */
    synchronized long cursor() {
        return next;
    }

    /**
     * The events from {@code cursor} on, oldest first, at most the newest {@code max} of them (older ones a slow
     * page missed are skipped, not queued up).
     */
    synchronized List<Event> since(long cursor, int max) {
        long from = Math.max(Math.max(cursor, next - KEPT), next - max);
        List<Event> events = new ArrayList<>((int) Math.max(0, next - from));
        for (long seq = Math.max(from, 1); seq < next; seq++) {
            events.add(ring[(int) (seq % KEPT)]);
        }
        return events;
    }
}
