package io.taskcenter.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The workers online right now, at most one per worker id.
 */
@ApplicationScoped
public class WorkerRegistry {

    private final ConcurrentMap<String, Worker> online = new ConcurrentHashMap<>();

    /**
     * Makes {@code worker} the one online for its id.
     *
     * @return the worker it replaces, which the caller must close
     */
    public Optional<Worker> register(Worker worker) {
        return Optional.ofNullable(online.put(worker.id(), worker));
    }

    /**
     * Removes {@code worker}, unless another connection has replaced it already.
     *
     * @return whether it was the one online for its id
     */
    public boolean unregister(Worker worker) {
        return online.remove(worker.id(), worker);
    }

    public Optional<Worker> find(String workerId) {
        return Optional.ofNullable(online.get(workerId));
    }

    public Collection<Worker> online() {
        return Collections.unmodifiableCollection(online.values());
    }
}
