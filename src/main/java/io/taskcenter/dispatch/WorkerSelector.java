package io.taskcenter.dispatch;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the worker for a task: among eligible workers with a free slot, the least busy; among equally busy
 * ones, each in turn. A worker that let this very task run past its deadline comes last, so a stuck worker
 * does not get back what it could not finish. Not thread-safe: the {@link Dispatcher} calls it under its lock.
 */
final class WorkerSelector {

    private int turn;

    /**
     * @param eligible workers that take the task's type, in a stable order
     * @param taskId a worker already holding a task with this id is skipped, so that its reports stay unambiguous
     * @return the chosen worker, or null if none has a free slot
     */
    WorkerSlots select(List<WorkerSlots> eligible, String taskId) {
        List<WorkerSlots> best = new ArrayList<>();
        double lowest = Double.MAX_VALUE;
        for (WorkerSlots candidate : eligible) {
            if (!candidate.hasFreeSlot() || candidate.holds(taskId)) {
                continue;
            }
            // Past any load: a worker this task expired on ranks behind every other.
            double rank = candidate.load() + (candidate.expiredRecently(taskId) ? 1 : 0);
            if (rank < lowest) {
                lowest = rank;
                best.clear();
            }
            if (rank == lowest) {
                best.add(candidate);
            }
        }
        if (best.isEmpty()) {
            return null;
        }
        return best.get(Math.floorMod(turn++, best.size()));
    }
}
