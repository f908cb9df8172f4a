package io.taskcenter.registry;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.dispatch.WorkerSnapshot;

/**
 * The workers online right now, at most one per worker id: a read-only view of the dispatcher's own record, so
 * that what operators see and what dispatch uses can never disagree.
 */
@ApplicationScoped
public class WorkerRegistry {

    private final Dispatcher dispatcher;

    WorkerRegistry(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** A copy, in the order the workers came online. */
    public List<WorkerSnapshot> online() {
        return dispatcher.online();
    }

    public Optional<WorkerSnapshot> find(String workerId) {
        return online().stream().filter(online -> online.worker().id().equals(workerId)).findFirst();
    }
}
