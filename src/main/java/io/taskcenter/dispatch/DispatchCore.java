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
 * With waiting rooms on, a task that finds no free eligible slot here is kept only as the next task of a busy slot
 * (one per slot); otherwise the core asks the shell to {@link Effect.Park park} it, and the shell moves it to its class's waiting room in the broker (it is then
 * {@link #parked}), or finds no eligible worker online anywhere and hands it back ({@link #parkRefused}), to wait
 * here under the no-worker rule, asking again now and then. Tasks are taken from the rooms only for free slots
 * (the shell asks for {@link #slots}).
 * Every way an assigned task can end goes through {@link #take}, which lets it happen once: whoever takes the
 * task off its worker owns its outcome, and a late callback for the same task finds nothing to do.
 */
public final class DispatchCore {

    /** How often a task handed back by the shell is offered to its waiting room again. */
    static final Duration REPARK_INTERVAL = Duration.ofMillis(250);

    private final Duration workerWait;
    private final Duration taskTimeout;
    private final boolean rooms;

    /** The workers tasks may go to, one per worker id, in the order they joined. */
    private final Map<String, Seat> online = new LinkedHashMap<>();
    /** Every connection still holding a seat, including one replaced but not yet gone: it may still report. */
    private final Map<WorkerLink, Seat> seats = new HashMap<>();
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    /** Counts joins and assignments, so that "least recently given a task" has an order. */
    private long turn;
    private int holding;
    private boolean draining;

    /** A core without waiting rooms: what no free slot can take waits here until one is free. */
    public DispatchCore(Duration workerWait, Duration taskTimeout) {
        this(workerWait, taskTimeout, false);
    }

    /** @param rooms whether tasks without a free slot are parked in waiting rooms, see {@link Effect.Park} */
    public DispatchCore(Duration workerWait, Duration taskTimeout, boolean rooms) {
        this.workerWait = workerWait;
        this.taskTimeout = taskTimeout;
        this.rooms = rooms;
    }

    /** A task arrived from the queue. */
    public List<Effect> submit(TaskRef task, Task body, long now) {
        List<Effect> effects = new ArrayList<>();
        if (draining) {
            effects.add(new Effect.Settle(task, new Verdict.Returned("the service is shutting down")));
            return effects;
        }
        Waiting arrived = new Waiting(task, body, now, now);
        waiting.addLast(arrived);
        assignWaiting(now, effects);
        if (waiting.peekLast() == arrived && !waitsHere(arrived)) {
            park(arrived, now, effects);
        }
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
        if (!assignment.seat.writeFailed && !assignment.seat.draining) {
            effects.add(new Effect.Retired(assignment.worker()));
        }
        assignment.seat.writeFailed = true;
        if (draining) {
            effects.add(new Effect.Settle(assignment.ref(), new Verdict.Returned(
                    "the write to " + assignment.worker() + " failed during shutdown")));
            return effects;
        }
        Waiting back = new Waiting(assignment.ref(), assignment.task(), assignment.receivedAt(), now);
        waiting.addFirst(back);
        assignWaiting(now, effects);
        if (waiting.peekFirst() == back && !waitsHere(back)) {
            park(back, now, effects);
        }
        return effects;
    }

    /** A worker reports a task done; {@code result} is the JSON text it sent with it, or null. */
    public Outcome done(WorkerLink link, String taskId, String result, long now) {
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
     * @return how many tasks it holds, or -1 if it is not online, and a {@link Effect.Retired} the first time
     */
    public Drained drain(WorkerLink link) {
        Seat seat = seats.get(link);
        if (seat == null) {
            return new Drained(-1, List.of());
        }
        List<Effect> effects = seat.draining || seat.writeFailed ? List.of() : List.of(new Effect.Retired(seat.worker));
        seat.draining = true;
        return new Drained(seat.inFlight(), effects);
    }

    /** What a drain came to: how many tasks the worker holds (-1 if it is not online), and what it set off. */
    public record Drained(int held, List<Effect> effects) {
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
            if (task.parking) {
                continue;
            }
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
        if (rooms) {
            // Offered (again): handed back before, when an eligible worker may have come online on another replica
            // since, or more than one per slot waits here.
            for (Waiting task : waiting) {
                if (!task.parking && !task.ref.isStale()
                        && (task.offeredAt == Waiting.NEVER || now - task.offeredAt >= REPARK_INTERVAL.toNanos())
                        && !waitsHere(task)) {
                    park(task, now, effects);
                }
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
        for (Iterator<Waiting> tasks = waiting.iterator(); tasks.hasNext();) {
            Waiting task = tasks.next();
            if (task.parking) {
                // On its way to a waiting room: parkRefused returns it if it does not get there.
                continue;
            }
            tasks.remove();
            if (!task.ref.isStale()) {
                effects.add(new Effect.Settle(task.ref, new Verdict.Returned("the service is shutting down")));
            }
        }
        return effects;
    }

    /** The shell moved a parked task to its waiting room: it is no longer this service's to settle. */
    public List<Effect> parked(TaskRef task, long now) {
        remove(task);
        return List.of();
    }

    /**
     * The shell did not move a parked task: no eligible worker is online anywhere, or the broker did not confirm
     * the move. It waits here under the no-worker rule, and is offered again every {@link #REPARK_INTERVAL}.
     */
    public List<Effect> parkRefused(TaskRef task, long now) {
        List<Effect> effects = new ArrayList<>();
        Waiting refused = find(task);
        if (refused == null) {
            return effects;
        }
        refused.parking = false;
        refused.offeredAt = now;
        if (draining) {
            waiting.remove(refused);
            effects.add(new Effect.Settle(task, new Verdict.Returned("the service is shutting down")));
            return effects;
        }
        assignWaiting(now, effects);
        return effects;
    }

    /** The slots of the workers online here that take tasks of {@code taskClass} and still get tasks; 0 in a drain. */
    public int slots(TaskClass taskClass) {
        if (draining) {
            return 0;
        }
        int slots = 0;
        for (Seat seat : online.values()) {
            if (seat.serves(taskClass)) {
                slots += seat.worker.capacity();
            }
        }
        return slots;
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
        if (!assignment.written()) {
            // The report overtook the write's own callback (a fast worker on a short path): the task did reach the
            // worker, and the callback will find it taken, so it is counted as dispatched here.
            effects.add(new Effect.Dispatched(assignment, Duration.ofNanos(now - assignment.receivedAt())));
        }
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
            if (task.parking) {
                continue;
            }
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

    /**
     * Whether a task no free slot takes may still wait here: while its type's workers here are busy, one task per
     * slot of theirs, so that each slot has its next task at hand when it frees. Beyond that, and while no worker
     * here takes the type at all, it goes to its waiting room. A task from a waiting room was brought for a slot
     * here (the broker bounds how many), so it waits for one while a worker here takes its type.
     */
    private boolean waitsHere(Waiting task) {
        if (!rooms) {
            return true;
        }
        int type = task.task.type();
        List<Seat> eligible = eligible(type);
        if (task.ref.fromRoom()) {
            return !eligible.isEmpty();
        }
        int slots = 0;
        for (Seat seat : eligible) {
            slots += seat.worker.capacity();
        }
        int ahead = 0;
        for (Waiting other : waiting) {
            if (other != task && !other.parking && other.task.type() == type && ++ahead >= slots) {
                return false;
            }
        }
        return ahead < slots;
    }

    /** Asks the shell to move {@code task} to its waiting room, if rooms are on; it stays in line meanwhile. */
    private void park(Waiting task, long now, List<Effect> effects) {
        if (!rooms || draining) {
            return;
        }
        task.parking = true;
        task.offeredAt = now;
        effects.add(new Effect.Park(task.ref, task.task));
    }

    private Waiting find(TaskRef task) {
        for (Waiting candidate : waiting) {
            if (candidate.ref == task) {
                return candidate;
            }
        }
        return null;
    }

    private void remove(TaskRef task) {
        Waiting found = find(task);
        if (found != null) {
            waiting.remove(found);
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
