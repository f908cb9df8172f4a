package io.taskcenter.dispatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import jakarta.inject.Singleton;

import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.task.Task;

/**
 * The shell around {@link DispatchCore}: takes its lock for each lifecycle step, then carries out the effects
 * outside it (writes to sockets, settlements, closes, listener calls), and feeds the outcome of each write back
 * in. It also keeps the drain: a future that completes once no task is held or being settled.
 */
@Singleton
public class Dispatcher {

    private final DispatchCore core;
    private final Settler settler;
    private final Parker parker;
    private final List<DispatchListener> listeners;
    /** Settlements begun and not yet made: a drain waits for them too. Guarded by {@link #core}. */
    private int settling;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    Dispatcher(TaskCenterConfig config, Settler settler, Parker parker, @All List<DispatchListener> listeners) {
        this.core = new DispatchCore(config.dispatch().workerWait(), config.dispatch().taskTimeout(),
                config.rooms().enabled());
        this.settler = settler;
        this.parker = parker;
        this.listeners = listeners;
    }

    /** Takes a task just received from the queue. */
    public void submit(TaskRef task, Task body) {
        step(core -> core.submit(task, body, now()));
    }

    /** Puts {@code worker} online, in place of any worker with the same id (which is closed). */
    public void join(Worker worker) {
        step(core -> core.join(worker, now()));
    }

    /** Takes the worker on {@code link} offline; what it held goes back to the queue. */
    public void leave(WorkerLink link) {
        step(core -> core.leave(link, now()));
    }

    /** @param result the JSON text the worker reported, or null */
    public Report done(WorkerLink link, String taskId, String result) {
        return report(core -> core.done(link, taskId, result, now()));
    }

    public Report failed(WorkerLink link, String taskId, String error, boolean retry) {
        return report(core -> core.failed(link, taskId, error, retry, now()));
    }

    public Report progress(WorkerLink link, String taskId) {
        synchronized (core) {
            return core.progress(link, taskId, now());
        }
    }

    /** See {@link DispatchCore#drain}. */
    public int drain(WorkerLink link) {
        DispatchCore.Drained drained;
        synchronized (core) {
            drained = core.drain(link);
        }
        drained.effects().forEach(effect -> tell((Effect.Event) effect));
        return drained.held();
    }

    /** A task parked by {@link Effect.Park} is in its waiting room now; its original has been settled. */
    public void parked(TaskRef task) {
        parkAnswered(core -> core.parked(task, now()));
    }

    /** A task parked by {@link Effect.Park} stays here: see {@link DispatchCore#parkRefused}. */
    public void parkRefused(TaskRef task) {
        parkAnswered(core -> core.parkRefused(task, now()));
    }

    /** See {@link DispatchCore#slots}. */
    public int slots(TaskClass taskClass) {
        synchronized (core) {
            return core.slots(taskClass);
        }
    }

    void tick() {
        step(core -> core.tick(now()));
    }

    /**
     * Stops assigning and returns every waiting task to the queue.
     *
     * @return completes once workers have reported every task they hold and each settlement has been made
     */
    public CompletableFuture<Void> drain() {
        step(core -> core.startDraining(now()));
        parker.stopTaking();
        return drained;
    }

    /** The drain ran out of time: returns every task still held to the queue. */
    public void abandonHeld() {
        step(core -> core.abandonHeld(now()));
    }

    public int inFlight() {
        synchronized (core) {
            return core.inFlight();
        }
    }

    public int waiting() {
        synchronized (core) {
            return core.waiting();
        }
    }

    /** The workers online now, with what each one holds. */
    public List<WorkerSnapshot> online() {
        synchronized (core) {
            return core.online();
        }
    }

    private void step(Function<DispatchCore, List<Effect>> step) {
        step(step, 0);
    }

    /** A park's answer ends the settlement its {@link Effect.Park} began (a drain waits for it). */
    private void parkAnswered(Function<DispatchCore, List<Effect>> step) {
        step(step, 1);
    }

    /** @param ended settlements begun before that this step ends */
    private void step(Function<DispatchCore, List<Effect>> step, int ended) {
        List<Effect> effects;
        boolean drainedNow;
        synchronized (core) {
            effects = step.apply(core);
            settling += settlements(effects) - ended;
            drainedNow = drainedNow();
        }
        carryOut(effects, drainedNow);
    }

    private Report report(Function<DispatchCore, DispatchCore.Outcome> step) {
        DispatchCore.Outcome outcome;
        boolean drainedNow;
        synchronized (core) {
            outcome = step.apply(core);
            settling += settlements(outcome.effects());
            drainedNow = drainedNow();
        }
        carryOut(outcome.effects(), drainedNow);
        return outcome.report();
    }

    private void carryOut(List<Effect> effects, boolean drainedNow) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Send send) {
                Assignment assignment = send.assignment();
                assignment.worker().link().send(assignment).whenComplete((written, failure) -> {
                    if (failure == null) {
                        step(core -> core.written(assignment, now()));
                    } else {
                        Log.warnf("[task %s] write to %s failed, the task waits for another worker: %s",
                                assignment.taskId(), assignment.worker(), failure.toString());
                        step(core -> core.writeFailed(assignment, now()));
                    }
                });
            } else if (effect instanceof Effect.Settle settle) {
                settler.settle(settle.task(), settle.verdict()).whenComplete((made, failure) -> settled());
            } else if (effect instanceof Effect.Park park) {
                parker.park(park.task(), park.body());
            } else if (effect instanceof Effect.Close close) {
                close.worker().link().close(close.why());
            } else if (effect instanceof Effect.Event event) {
                tell(event);
            }
        }
        if (drainedNow) {
            drained.complete(null);
        }
    }

    private void tell(Effect.Event event) {
        for (DispatchListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                Log.errorf(e, "Dispatch listener %s failed on %s", listener.getClass().getName(), event);
            }
        }
    }

    private void settled() {
        boolean drainedNow;
        synchronized (core) {
            settling--;
            drainedNow = drainedNow();
        }
        if (drainedNow) {
            drained.complete(null);
        }
    }

    /** Under the lock: draining, and nothing held or being settled any more. */
    private boolean drainedNow() {
        return core.draining() && core.inFlight() == 0 && settling == 0;
    }

    private static int settlements(List<Effect> effects) {
        int count = 0;
        for (Effect effect : effects) {
            if (effect instanceof Effect.Settle || effect instanceof Effect.Park) {
                count++;
            }
        }
        return count;
    }

    private static long now() {
        return System.nanoTime();
    }
}
