package io.taskcenter.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.messaging.Delivery;
import io.taskcenter.messaging.ReplyPublisher;
import io.taskcenter.protocol.SeedProtocol;
import io.taskcenter.protocol.v1.ServiceFrames;
import io.taskcenter.registry.Worker;
import io.taskcenter.registry.Worker.Protocol;
import io.taskcenter.registry.WorkerRegistry;
import io.taskcenter.stats.DeadLetterReason;
import io.taskcenter.stats.TaskStats;
import io.taskcenter.task.Task;
import io.vertx.core.Vertx;

/**
 * Assigns tasks to workers and settles them by what the workers report.
 * <p>
 * A task goes to the least busy eligible worker with a free slot. When every eligible worker is full it waits,
 * unacked, and goes out the moment a slot frees; when no eligible worker is online it waits
 * {@code taskcenter.dispatch.worker-wait} for one before the no-worker rule applies. A seed worker's task is
 * acked once written; a v1 worker's on {@code done}. Tasks of a worker that disconnects, and tasks past their
 * deadline, go back to the queue.
 * <p>
 * All state is guarded by this object's monitor; sockets are written and messages settled outside it.
 */
@ApplicationScoped
public class Dispatcher {

    /** How often deadlines and waiting tasks are checked: the precision of both timeouts. */
    static final Duration SWEEP_INTERVAL = Duration.ofMillis(100);

    private final WorkerRegistry registry;
    private final TaskCenterConfig.Dispatch config;
    private final ServiceFrames frames;
    private final ReplyPublisher replies;
    private final TaskStats stats;

    private final Map<Worker, WorkerSlots> slots = new LinkedHashMap<>();
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final WorkerSelector selector = new WorkerSelector();
    /** Tasks reported done or failed whose ack or nack has not been made yet: the drain waits for them too. */
    private int settling;
    private boolean draining;

    Dispatcher(WorkerRegistry registry, TaskCenterConfig config, ObjectMapper mapper, ReplyPublisher replies,
            TaskStats stats) {
        this.registry = registry;
        this.config = config.dispatch();
        this.frames = new ServiceFrames(mapper);
        this.replies = replies;
        this.stats = stats;
    }

    void startSweeping(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(SWEEP_INTERVAL.toMillis(), timer -> sweep());
    }

    /** Takes a task just received from the queue. */
    public void submit(Delivery delivery, Task task) {
        List<Assignment> handovers;
        synchronized (this) {
            if (!draining) {
                waiting.addLast(new Waiting(delivery, task, System.nanoTime()));
                handovers = assignWaiting();
            } else {
                handovers = null;
            }
        }
        if (handovers == null) {
            delivery.requeue("the service is shutting down");
            return;
        }
        handOver(handovers);
    }

    /**
     * Puts {@code worker} online, in place of any worker with the same id.
     *
     * @return the worker it replaces, which the caller must close; its tasks go back when it goes offline
     */
    public Optional<Worker> online(Worker worker) {
        Optional<Worker> replaced;
        List<Assignment> handovers;
        synchronized (this) {
            replaced = registry.register(worker);
            slots.put(worker, new WorkerSlots(worker));
            handovers = assignWaiting();
        }
        handOver(handovers);
        return replaced;
    }

    /** Takes {@code worker} offline; the v1 tasks it held go back to the queue. */
    public void offline(Worker worker) {
        List<Assignment> lost = new ArrayList<>();
        synchronized (this) {
            registry.unregister(worker);
            WorkerSlots gone = slots.remove(worker);
            if (gone == null) {
                return;
            }
            for (Assignment assignment : gone.releaseAll()) {
                // A seed task is still being written: its write callback acks it or puts it back.
                if (worker.protocol() == Protocol.V1) {
                    assignment.finished = true;
                    lost.add(assignment);
                }
            }
            notifyAll();
        }
        for (Assignment assignment : lost) {
            assignment.delivery.retryOrDeadLetter(worker + " went offline holding it", config.maxAttempts());
        }
    }

    /** A v1 worker reports a task done: reply to the producer if asked, then ack. */
    public Report completed(Worker worker, String taskId, JsonNode result) {
        Reported reported = takeReported(worker, taskId);
        Assignment assignment = reported.assignment();
        if (assignment == null) {
            return reported.report();
        }
        stats.completed(assignment.task.type(), Duration.ofNanos(System.nanoTime() - assignment.writtenNanos));
        Log.debugf("[%s] done by %s", assignment.delivery, worker);
        replies.done(assignment.delivery, result).subscribe().with(replied -> settled(assignment.delivery::ack));
        handOver(reported.handovers());
        return Report.ACCEPTED;
    }

    /**
     * A v1 worker reports a task failed: requeue it for another attempt if the worker says retrying makes sense
     * and attempts remain; otherwise reply to the producer if asked, then dead-letter it.
     */
    public Report failed(Worker worker, String taskId, String error, boolean retry) {
        Reported reported = takeReported(worker, taskId);
        Assignment assignment = reported.assignment();
        if (assignment == null) {
            return reported.report();
        }
        stats.failed(assignment.task.type());
        Delivery delivery = assignment.delivery;
        String why = "attempt " + delivery.attempt() + " of " + config.maxAttempts() + " failed, " + worker
                + " reported: " + error;
        if (retry && delivery.attempt() < config.maxAttempts()) {
            settled(() -> delivery.requeue(why));
        } else {
            DeadLetterReason reason = retry ? DeadLetterReason.ATTEMPTS_EXHAUSTED : DeadLetterReason.FAILED;
            replies.failed(delivery, error).subscribe().with(replied -> settled(() -> delivery.deadLetter(reason, why)));
        }
        handOver(reported.handovers());
        return Report.ACCEPTED;
    }

    /** The task a report is about, taken off its worker, or why there is none; and what its slot lets out. */
    private record Reported(Assignment assignment, Report report, List<Assignment> handovers) {
    }

    private synchronized Reported takeReported(Worker worker, String taskId) {
        WorkerSlots holder = slots.get(worker);
        Assignment assignment = holder == null ? null : holder.get(taskId);
        if (assignment == null) {
            return new Reported(null, unheld(holder, taskId), List.of());
        }
        finish(assignment);
        // Until its ack or nack is made, a drain must wait for it.
        settling++;
        return new Reported(assignment, Report.ACCEPTED, assignWaiting());
    }

    /** A v1 worker is still on a task: its deadline starts again. */
    public Report progress(Worker worker, String taskId) {
        synchronized (this) {
            WorkerSlots holder = slots.get(worker);
            Assignment assignment = holder == null ? null : holder.get(taskId);
            if (assignment == null) {
                return unheld(holder, taskId);
            }
            assignment.deadlineNanos = System.nanoTime() + config.taskTimeout().toNanos();
            return Report.ACCEPTED;
        }
    }

    /**
     * Stops assigning, returns every waiting task to the queue, waits up to {@code timeout} for the tasks
     * workers hold to be reported, and returns the rest to the queue. Blocks: call it on shutdown only.
     */
    public void drain(Duration timeout) {
        List<Waiting> unassigned;
        synchronized (this) {
            draining = true;
            unassigned = new ArrayList<>(waiting);
            waiting.clear();
        }
        unassigned.stream()
                .filter(task -> !task.delivery.isStale())
                .forEach(task -> task.delivery.requeue("the service is shutting down"));

        List<Assignment> unfinished = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            long remaining;
            while ((inFlight() > 0 || settling > 0) && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (WorkerSlots holder : slots.values()) {
                for (Assignment assignment : holder.releaseAll()) {
                    assignment.finished = true;
                    unfinished.add(assignment);
                }
            }
        }
        Log.infof("Drained: %d waiting and %d unfinished tasks returned to the queue", unassigned.size(),
                unfinished.size());
        unfinished.forEach(task -> task.delivery.requeue(
                "the service is shutting down before " + task.holder.worker + " finished it"));
    }

    public synchronized int inFlight(Worker worker) {
        WorkerSlots holder = slots.get(worker);
        return holder == null ? 0 : holder.inFlight();
    }

    public synchronized int inFlight() {
        return slots.values().stream().mapToInt(WorkerSlots::inFlight).sum();
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    /** Expires overdue v1 tasks and gives up on tasks that waited too long for any eligible worker. */
    void sweep() {
        List<Assignment> overdue = new ArrayList<>();
        List<Waiting> unserved = new ArrayList<>();
        List<Assignment> handovers;
        long now = System.nanoTime();
        synchronized (this) {
            for (WorkerSlots holder : slots.values()) {
                if (holder.worker.protocol() != Protocol.V1) {
                    continue;
                }
                for (Assignment assignment : holder.held()) {
                    if (now - assignment.deadlineNanos > 0) {
                        overdue.add(assignment);
                    }
                }
            }
            for (Assignment assignment : overdue) {
                assignment.holder.expire(assignment);
                assignment.finished = true;
            }
            Map<Integer, Boolean> served = new HashMap<>();
            for (Iterator<Waiting> tasks = waiting.iterator(); tasks.hasNext();) {
                Waiting task = tasks.next();
                if (task.delivery.isStale()) {
                    tasks.remove();
                } else if (served.computeIfAbsent(task.task.type(), type -> !eligible(type).isEmpty())) {
                    task.noWorkerSinceNanos = Waiting.NEVER;
                } else if (task.noWorkerSinceNanos == Waiting.NEVER) {
                    task.noWorkerSinceNanos = now;
                } else if (now - task.noWorkerSinceNanos >= config.workerWait().toNanos()) {
                    tasks.remove();
                    unserved.add(task);
                }
            }
            handovers = overdue.isEmpty() ? List.of() : assignWaiting();
            if (!overdue.isEmpty()) {
                notifyAll();
            }
        }
        for (Assignment assignment : overdue) {
            assignment.delivery.retryOrDeadLetter("deadline passed on " + assignment.holder.worker
                    + " after " + config.taskTimeout().toMillis() + " ms without a report", config.maxAttempts());
        }
        for (Waiting task : unserved) {
            task.delivery.requeueOrDeadLetter("no worker online took type " + task.task.type()
                    + " within " + config.workerWait().toMillis() + " ms");
        }
        handOver(handovers);
    }

    /** Under the lock: reserves a slot for every waiting task that can have one, oldest first. */
    private List<Assignment> assignWaiting() {
        if (waiting.isEmpty() || draining) {
            return List.of();
        }
        List<Assignment> handovers = new ArrayList<>();
        Map<Integer, List<WorkerSlots>> eligibleByType = new HashMap<>();
        Set<Integer> full = new HashSet<>();
        long now = System.nanoTime();
        for (Iterator<Waiting> tasks = waiting.iterator(); tasks.hasNext();) {
            Waiting task = tasks.next();
            if (task.delivery.isStale()) {
                // Its channel closed while it waited: the broker requeued it and delivers it again.
                tasks.remove();
                continue;
            }
            int type = task.task.type();
            if (full.contains(type)) {
                continue;
            }
            List<WorkerSlots> eligible = eligibleByType.computeIfAbsent(type, this::eligible);
            WorkerSlots chosen = selector.select(eligible, task.delivery.taskId());
            if (chosen == null) {
                if (eligible.stream().noneMatch(WorkerSlots::hasFreeSlot)) {
                    full.add(type);
                }
                continue;
            }
            tasks.remove();
            Assignment assignment = new Assignment(task.delivery, task.task, chosen, now,
                    config.taskTimeout().toNanos());
            chosen.hold(assignment);
            handovers.add(assignment);
        }
        return handovers;
    }

    private List<WorkerSlots> eligible(int type) {
        List<WorkerSlots> eligible = new ArrayList<>();
        for (WorkerSlots holder : slots.values()) {
            if (holder.worker.takes(type)) {
                eligible.add(holder);
            }
        }
        return eligible;
    }

    /** Writes each assigned task to its worker's socket; never under the lock. */
    private void handOver(Collection<Assignment> handovers) {
        for (Assignment assignment : handovers) {
            Worker worker = assignment.holder.worker;
            worker.send(frame(assignment)).subscribe().with(
                    written -> written(assignment),
                    failure -> writeFailed(assignment, failure));
        }
    }

    private String frame(Assignment assignment) {
        if (assignment.holder.worker.protocol() == Protocol.SEED) {
            return SeedProtocol.taskFrame(assignment.task);
        }
        long millisLeft = TimeUnit.NANOSECONDS.toMillis(assignment.deadlineNanos - System.nanoTime());
        return frames.task(assignment.taskId(), assignment.task.type(), assignment.task.name(),
                assignment.task.payload(), assignment.attempt, Instant.now().plusMillis(millisLeft));
    }

    private void written(Assignment assignment) {
        stats.dispatched(assignment.task.type(), assignment.delivery.age());
        Log.debugf("[%s] handed to %s, attempt %d", assignment.delivery, assignment.holder.worker, assignment.attempt);
        if (assignment.holder.worker.protocol() == Protocol.V1) {
            synchronized (this) {
                assignment.writtenNanos = System.nanoTime();
            }
            return;
        }
        // The seed protocol never reports back: a completed write is the hand-over.
        List<Assignment> handovers;
        synchronized (this) {
            finish(assignment);
            handovers = assignWaiting();
        }
        assignment.delivery.ack();
        handOver(handovers);
    }

    private void writeFailed(Assignment assignment, Throwable failure) {
        List<Assignment> handovers;
        boolean drainingNow;
        synchronized (this) {
            if (assignment.finished) {
                return;
            }
            finish(assignment);
            assignment.holder.worker.markWriteFailed();
            drainingNow = draining;
            if (!drainingNow) {
                waiting.addFirst(new Waiting(assignment.delivery, assignment.task, System.nanoTime()));
            }
            handovers = assignWaiting();
        }
        if (drainingNow) {
            assignment.delivery.requeue("the write to " + assignment.holder.worker + " failed during shutdown");
            return;
        }
        Log.warnf("[%s] write to %s failed, the task waits for another worker: %s", assignment.delivery,
                assignment.holder.worker, failure.toString());
        handOver(handovers);
    }

    /** Makes the settlement of a reported task, then lets a waiting drain know. */
    private void settled(Runnable settlement) {
        try {
            settlement.run();
        } finally {
            synchronized (this) {
                settling--;
                notifyAll();
            }
        }
    }

    /** Under the lock: the assignment leaves its worker's slots for good. */
    private void finish(Assignment assignment) {
        assignment.holder.release(assignment);
        assignment.finished = true;
        notifyAll();
    }

    private static Report unheld(WorkerSlots holder, String taskId) {
        return holder != null && holder.expiredRecently(taskId) ? Report.EXPIRED_TASK : Report.UNKNOWN_TASK;
    }
}
