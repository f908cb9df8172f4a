package io.taskcenter.dispatch;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One worker connection's place in the core: the tasks it holds by id, against its capacity, and what the
 * choice of a worker needs to know about its past.
 */
final class Seat {

    /** How many ids of expired tasks to remember, to tell a late {@code done} from a bogus one. */
    static final int REMEMBERED_EXPIRED = 256;

    final Worker worker;
    private final Map<String, Assignment> held = new LinkedHashMap<>();
    private final Set<String> expired = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_EXPIRED;
        }
    });
    /** When this seat last got a task, in assignments made by the core: equally busy seats go in this order. */
    long lastAssigned;
    /** A write failed: the socket is dying though its close has not been seen; no more tasks go here. */
    boolean writeFailed;
    /** The worker asked for no more tasks: it is finishing what it holds before it leaves. */
    boolean draining;

    Seat(Worker worker, long joined) {
        this.worker = worker;
        this.lastAssigned = joined;
    }

    int inFlight() {
        return held.size();
    }

    boolean hasFreeSlot() {
        return held.size() < worker.capacity();
    }

    /** Share of the capacity in use: what "least busy" compares, so a large worker is not starved. */
    double load() {
        return (double) held.size() / worker.capacity();
    }

    boolean takes(int taskType) {
        return !writeFailed && !draining && worker.taskTypes().accepts(taskType);
    }

    /** Whether tasks of {@code taskClass} may come here: it still gets tasks, and takes some of that class. */
    boolean serves(TaskClass taskClass) {
        return !writeFailed && !draining && taskClass.servedBy(worker.taskTypes());
    }

    boolean holds(String taskId) {
        return held.containsKey(taskId);
    }

    void hold(Assignment assignment) {
        held.put(assignment.taskId(), assignment);
    }

    Assignment get(String taskId) {
        return held.get(taskId);
    }

    /**
     * The gate every ending goes through: removes {@code assignment} if it is still the one held under its id.
     *
     * @return whether it was: only then does the caller own the task's outcome
     */
    boolean release(Assignment assignment) {
        return held.remove(assignment.taskId(), assignment);
    }

    void rememberExpired(String taskId) {
        expired.add(taskId);
    }

    boolean expiredRecently(String taskId) {
        return expired.contains(taskId);
    }

    /** A read-only view: copy it before taking tasks off this seat while iterating. */
    Collection<Assignment> held() {
        return Collections.unmodifiableCollection(held.values());
    }
}
