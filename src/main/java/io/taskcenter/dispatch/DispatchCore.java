package io.taskcenter.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.taskcenter.task.Task;

/**
 * The rules of dispatch as a state machine: which worker gets which task, when a task is finished with, and
 * what becomes of it otherwise. No I/O, no threads, no clock: every step takes the current time in nanoseconds
 * (monotonic, any origin) and returns the {@link Effect}s for the shell to carry out. Not thread-safe.
 * <p>
 * A task's life:
 * <pre>
 * submit ──▶ waiting ──(a free eligible slot)──▶ assigned ──(Send)──▶ written ──(done / failed)──▶ settled
 *              │  ▲                                   │                   │
 *              │  └────────(write failed)─────────────┘                   ├─(deadline, worker left)─▶ lost
 *              └─(no eligible worker for worker-wait)─▶ unserved          └─(seed: on write)────────▶ handed over
 * </pre>
 * Every way an assigned task can end goes through {@link #take}, which lets it happen once: whoever takes the
 * task off its worker owns its outcome, and a late callback for the same task finds nothing to do.
 */
public final class DispatchCore {

    private final Duration workerWait;
    private final Duration taskTimeout;

    /** The workers tasks may go to, one per worker id, in the order they joined. */
    private final Map<String, Seat> online = new LinkedHashMap<>();
    /** Every connection still holding a seat, including one replaced but not yet gone: it may still report. */
    private final Map<WorkerLink, Seat> seats = new HashMap<>();
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    /** Counts joins and assignments, so that "least recently given a task" has an order. */
    private long turn;
    private int holding;
    private boolean draining;

    public DispatchCore(Duration workerWait, Duration taskTimeout) {
        this.workerWait = workerWait;
        this.taskTimeout = taskTimeout;
    }

    /** A task arrived from the queue. */
    public List<Effect> submit(TaskRef task, Task body, long now) {
        List<Effect> effects = new ArrayList<>();
        if (draining) {
            effects.add(new Effect.Settle(task, new Verdict.Returned("the service is shutting down")));
            return effects;
        }
        waiting.addLast(new Waiting(task, body, now, now));
        assignWaiting(now, effects);
        return effects;
    }

    /**
     * A worker was admitted. It takes the place of any worker online with the same id at once: that one gets no
     * more tasks and is closed, and keeps what it holds until it leaves.
     */
    public List<Effect> join(Worker worker, long now) {
        List<Effect> effects = new ArrayList<>();
        Seat seat = new Seat(worker, ++turn);
        Seat replaced = online.remove(worker.id());
        online.put(worker.id(), seat);
        seats.put(worker.link(), seat);
        effects.add(new Effect.Joined(worker));
        if (replaced != null) {
            effects.add(new Effect.Close(replaced.worker, Closing.REPLACED));
        }
        assignWaiting(now, effects);
        return effects;
    }

    /** A worker's connection is gone; what it held is lost, but for writes its protocol leaves to finish. */
    public List<Effect> leave(WorkerLink link, long now) {
        List<Effect> effects = new ArrayList<>();
        Seat seat = seats.remove(link);
        if (seat == null) {
            return effects;
        }
        online.remove(seat.worker.id(), seat);
        boolean losesPending = seat.worker.protocol().losesPendingWritesOnLeave();
        for (Assignment assignment : List.copyOf(seat.held())) {
            if ((assignment.written() || losesPending) && take(assignment)) {
                effects.add(new Effect.Settle(assignment.ref(),
                        new Verdict.Lost(seat.worker.id(), seat.worker + " went offline holding it")));
            }
        }
        effects.add(new Effect.Left(seat.worker));
        return effects;
    }

    /** The task's frame reached the worker's socket. */
    public List<Effect> written(Assignment assignment, long now) {
        List<Effect> effects = new ArrayList<>();
        if (assignment.seat.get(assignment.taskId()) != assignment) {
            // Ended while it was being written (worker gone, deadline, drain): that ending owns it.
            return effects;
        }
        effects.add(new Effect.Dispatched(assignment, Duration.ofNanos(now - assignment.receivedAt())));
        Verdict settled = assignment.worker().protocol().written(assignment.worker());
        if (settled == null) {
            assignment.writtenAt = now;
            return effects;
        }
        if (take(assignment)) {
            effects.add(new Effect.Settle(assignment.ref(), settled));
            assignWaiting(now, effects);
        }
        return effects;
    }

    /** The write failed: the socket is dying. The task waits for another worker, first in line. */
    public List<Effect> writeFailed(Assignment assignment, long now) {
        List<Effect> effects = new ArrayList<>();
        if (!take(assignment)) {
            return effects;
        }
        assignment.seat.writeFailed = true;
        if (draining) {
            effects.add(new Effect.Settle(assignment.ref(), new Verdict.Returned(
                    "the write to " + assignment.worker() + " failed during shutdown")));
            return effects;
        }
        waiting.addFirst(new Waiting(assignment.ref(), assignment.task(), assignment.receivedAt(), now));
        assignWaiting(now, effects);
        return effects;
    }

    /** A worker reports a task done. */
    public Outcome done(WorkerLink link, String taskId, JsonNode result, long now) {
        return report(link, taskId, now, (assignment, effects) -> {
            long took = assignment.written() ? now - assignment.writtenAt : 0;
            effects.add(new Effect.Completed(assignment, Duration.ofNanos(took)));
            effects.add(new Effect.Settle(assignment.ref(), new Verdict.Done(assignment.worker().id(), result)));
        });
    }

    /** A worker reports a task failed; {@code retry} says whether another attempt makes sense. */
    public Outcome failed(WorkerLink link, String taskId, String error, boolean retry, long now) {
        return report(link, taskId, now, (assignment, effects) -> {
            effects.add(new Effect.Failed(assignment));
            effects.add(new Effect.Settle(assignment.ref(),
                    new Verdict.Failed(assignment.worker().id(), error, retry)));
        });
    }

    /** A worker is still on a task: its deadline starts again. */
    public Report progress(WorkerLink link, String taskId, long now) {
        Seat seat = seats.get(link);
        Assignment assignment = seat == null ? null : seat.get(taskId);
        if (assignment == null) {
            return unheld(seat, taskId);
        }
        assignment.deadline = assignment.worker().protocol().deadline(now, taskTimeout);
        return Report.ACCEPTED;
    }

    /**
     * The worker asked for no more tasks ({@code drain}): it keeps what it holds, to report as usual, and the
     * choice passes it over from now on.
     *
     * @return how many tasks it holds, or -1 if it is not online
     */
    public int drain(WorkerLink link) {
        Seat seat = seats.get(link);
        if (seat == null) {
            return -1;
        }
        seat.draining = true;
        return seat.inFlight();
    }

    /** Expires tasks past their deadline, and gives up on tasks that waited too long for any eligible worker. */
    public List<Effect> tick(long now) {
        List<Effect> effects = new ArrayList<>();
        // Runs ten times a second over every held task: collect the overdue ones without copying anything.
        List<Assignment> overdue = new ArrayList<>();
        for (Seat seat : seats.values()) {
            for (Assignment assignment : seat.held()) {
                if (assignment.deadline != Assignment.NO_DEADLINE && now - assignment.deadline > 0) {
                    overdue.add(assignment);
                }
            }
        }
        for (Assignment assignment : overdue) {
            if (take(assignment)) {
                Seat seat = assignment.seat;
                seat.rememberExpired(assignment.taskId());
                effects.add(new Effect.Settle(assignment.ref(), new Verdict.Lost(seat.worker.id(),
                        "deadline passed on " + seat.worker + " after " + taskTimeout.toMillis()
                                + " ms without a report")));
            }
        }
        Map<Integer, Boolean> served = new HashMap<>();
        for (Iterator<Waiting> tasks = waiting.iterator(); tasks.hasNext();) {
            Waiting task = tasks.next();
            if (task.ref.isStale()) {
                tasks.remove();
            } else if (served.computeIfAbsent(task.task.type(), type -> !eligible(type).isEmpty())) {
                task.noWorkerSince = Waiting.NEVER;
            } else if (task.noWorkerSince == Waiting.NEVER) {
                task.noWorkerSince = now;
            } else if (now - task.noWorkerSince >= workerWait.toNanos()) {
                tasks.remove();
                effects.add(new Effect.Settle(task.ref, new Verdict.Unserved("no worker online took type "
                        + task.task.type() + " within " + workerWait.toMillis() + " ms")));
            }
        }
        if (!overdue.isEmpty()) {
            assignWaiting(now, effects);
        }
        return effects;
    }

    /** Stops assigning and gives every waiting task back; what workers hold may still be reported. */
    public List<Effect> startDraining(long now) {
        List<Effect> effects = new ArrayList<>();
        draining = true;
        for (Waiting task : waiting) {
            if (!task.ref.isStale()) {
                effects.add(new Effect.Settle(task.ref, new Verdict.Returned("the service is shutting down")));
            }
        }
        waiting.clear();
        return effects;
    }

    /** The drain ran out of time: every task still held goes back. */
    public List<Effect> abandonHeld(long now) {
        List<Effect> effects = new ArrayList<>();
        for (Seat seat : seats.values()) {
            for (Assignment assignment : List.copyOf(seat.held())) {
                if (take(assignment)) {
                    effects.add(new Effect.Settle(assignment.ref(), new Verdict.Returned(
                            "the service is shutting down before " + seat.worker + " finished it")));
                }
            }
        }
        return effects;
    }

    /** Tasks assigned to workers and not yet taken off them. */
    public int inFlight() {
        return holding;
    }

    public int waiting() {
        return waiting.size();
    }

    public boolean draining() {
        return draining;
    }

    /** The workers tasks may go to now, in the order they joined. */
    public List<WorkerSnapshot> online() {
        List<WorkerSnapshot> snapshot = new ArrayList<>(online.size());
        online.values().forEach(seat -> snapshot.add(new WorkerSnapshot(seat.worker, seat.inFlight())));
        return snapshot;
    }

    /** What a report came to, and what it set off. */
    public record Outcome(Report report, List<Effect> effects) {
    }

    private interface Ending {
        void apply(Assignment assignment, List<Effect> effects);
    }

    private Outcome report(WorkerLink link, String taskId, long now, Ending ending) {
        Seat seat = seats.get(link);
        Assignment assignment = seat == null ? null : seat.get(taskId);
        if (assignment == null) {
            return new Outcome(unheld(seat, taskId), List.of());
        }
        List<Effect> effects = new ArrayList<>();
        take(assignment);
        ending.apply(assignment, effects);
        assignWaiting(now, effects);
        return new Outcome(Report.ACCEPTED, effects);
    }

    /** The one gate out of a worker's hands. */
    private boolean take(Assignment assignment) {
        if (!assignment.seat.release(assignment)) {
            return false;
        }
        holding--;
        return true;
    }

    /** Reserves a slot for every waiting task that can have one, oldest first. */
    private void assignWaiting(long now, List<Effect> effects) {
        if (waiting.isEmpty() || draining) {
            return;
        }
        Map<Integer, List<Seat>> eligibleByType = new HashMap<>();
        Set<Integer> full = new HashSet<>();
        for (Iterator<Waiting> tasks = waiting.iterator(); tasks.hasNext();) {
            Waiting task = tasks.next();
            if (task.ref.isStale()) {
                // Its channel closed while it waited: the broker requeued it and delivers it again.
                tasks.remove();
                continue;
            }
            int type = task.task.type();
            if (full.contains(type)) {
                continue;
            }
            List<Seat> eligible = eligibleByType.computeIfAbsent(type, this::eligible);
            Seat chosen = WorkerChoice.choose(eligible, task.ref.taskId());
            if (chosen == null) {
                if (eligible.stream().noneMatch(Seat::hasFreeSlot)) {
                    full.add(type);
                }
                continue;
            }
            tasks.remove();
            Assignment assignment = new Assignment(task.ref, task.task, chosen, task.receivedAt, now, taskTimeout);
            chosen.hold(assignment);
            chosen.lastAssigned = ++turn;
            holding++;
            effects.add(new Effect.Send(assignment));
        }
    }

    private List<Seat> eligible(int type) {
        List<Seat> eligible = new ArrayList<>();
        for (Seat seat : online.values()) {
            if (seat.takes(type)) {
                eligible.add(seat);
            }
        }
        return eligible;
    }

    private static Report unheld(Seat seat, String taskId) {
        return seat != null && seat.expiredRecently(taskId) ? Report.EXPIRED_TASK : Report.UNKNOWN_TASK;
    }
}
