package io.taskcenter.dispatch;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the worker for a task: among eligible workers with a free slot, the least busy; among equally busy
 * ones, each in turn. Not thread-safe: the {@link Dispatcher} calls it under its lock.
 */
final class WorkerSelector {

    private int turn;

    /**
     * @param eligible workers that take the task's type, in a stable order
     * @param taskId a worker already holding a task with this id is skipped, so that its reports stay unambiguous
     * @return the chosen worker, or null if none has a free slot
     */
    WorkerSlots select(List<WorkerSlots> eligible, String taskId) {
        List<WorkerSlots> leastBusy = new ArrayList<>();
        double lowest = Double.MAX_VALUE;
        for (WorkerSlots candidate : eligible) {
            if (!candidate.hasFreeSlot() || candidate.holds(taskId)) {
                continue;
            }
            double load = candidate.load();
            if (load < lowest) {
                lowest = load;
                leastBusy.clear();
            }
            if (load == lowest) {
                leastBusy.add(candidate);
            }
        }
        if (leastBusy.isEmpty()) {
            return null;
        }
        return leastBusy.get(Math.floorMod(turn++, leastBusy.size()));
    }
}
