package io.taskcenter.dispatch;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.taskcenter.protocol.SeedProtocol;
import io.taskcenter.registry.Worker;
import io.taskcenter.registry.WorkerRegistry;
import io.taskcenter.task.Task;

/**
 * Hands a task to one online worker that takes its type. Eligible workers take turns, so load spreads evenly
 * (the seed picked at random); a worker whose socket fails the send is skipped and the next one tried.
 */
@ApplicationScoped
public class TaskDispatcher {

    private final WorkerRegistry registry;
    private final AtomicInteger turn = new AtomicInteger();

    TaskDispatcher(WorkerRegistry registry) {
        this.registry = registry;
    }

    /**
     * @return the worker the task was written to, once the write has completed; fails with
     *         {@link NoWorkerException} if no eligible worker could take it
     */
    public Uni<Worker> dispatch(Task task) {
        List<Worker> eligible = registry.eligibleFor(task.type());
        if (eligible.isEmpty()) {
            return Uni.createFrom().failure(new NoWorkerException("no worker online takes type " + task.type()));
        }
        int first = Math.floorMod(turn.getAndIncrement(), eligible.size());
        return sendFrom(SeedProtocol.taskFrame(task), eligible, first, 0);
    }

    private Uni<Worker> sendFrom(String frame, List<Worker> eligible, int first, int tried) {
        if (tried == eligible.size()) {
            return Uni.createFrom().failure(new NoWorkerException(
                    "the send failed on all " + tried + " eligible workers"));
        }
        Worker worker = eligible.get((first + tried) % eligible.size());
        return worker.send(frame)
                .replaceWith(worker)
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf("[%s] send failed, trying the next eligible worker: %s", worker, failure.toString());
                    return sendFrom(frame, eligible, first, tried + 1);
                });
    }
}
