package io.taskcenter.dispatch;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskcenter.registry.Worker;

/**
 * The tasks one worker holds, by task id, against its capacity. Guarded by the {@link Dispatcher}'s lock.
 */
final class WorkerSlots {

    /** How many ids of expired tasks to remember, to tell a late {@code done} from a bogus one. */
    private static final int REMEMBERED_EXPIRED = 256;

    final Worker worker;
    private final Map<String, Assignment> held = new LinkedHashMap<>();
    private final Set<String> expired = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_EXPIRED;
        }
    });

    WorkerSlots(Worker worker) {
        this.worker = worker;
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

    boolean holds(String taskId) {
        return held.containsKey(taskId);
    }

    void hold(Assignment assignment) {
        held.put(assignment.taskId(), assignment);
    }

    Assignment get(String taskId) {
        return held.get(taskId);
    }

    /** Removes the task if {@code assignment} is still the one held under its id. */
    boolean release(Assignment assignment) {
        return held.remove(assignment.taskId(), assignment);
    }

    void expire(Assignment assignment) {
        release(assignment);
        expired.add(assignment.taskId());
    }

    boolean expiredRecently(String taskId) {
        return expired.contains(taskId);
    }

    Collection<Assignment> held() {
        return held.values();
    }

    List<Assignment> releaseAll() {
        List<Assignment> all = List.copyOf(held.values());
        held.clear();
        return all;
    }
}
