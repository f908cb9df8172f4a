package io.taskcenter.dispatch;

import java.util.List;

/**
 * Picks the worker for a task: among eligible workers with a free slot, the least busy; among equally busy ones,
 * the one that got a task least recently, whatever type that was, so that interleaved types cannot make one
 * twin take every task. A worker that let this very task run past its deadline comes last, so a stuck worker
 * does not get back what it could not finish.
 */
final class WorkerChoice {

    private WorkerChoice() {
    }

    /**
     * @param eligible seats that take the task's type
     * @param taskId a seat already holding a task with this id is skipped, so that its reports stay unambiguous
     * @return the chosen seat, or null if none has a free slot
     */
    static Seat choose(List<Seat> eligible, String taskId) {
        Seat best = null;
        double bestRank = Double.MAX_VALUE;
        for (Seat candidate : eligible) {
            if (!candidate.hasFreeSlot()) {
                continue;
            }
            double load = candidate.load();
            if (best != null && (load > bestRank || (load == bestRank && candidate.lastAssigned >= best.lastAssigned))) {
                // It cannot win even before the look-ups below, which cost a hash of the id each, per candidate.
                continue;
            }
            if (candidate.holds(taskId)) {
                continue;
            }
            // Past any load: a worker this task expired on ranks behind every other.
            double rank = load + (candidate.expiredRecently(taskId) ? 1 : 0);
            if (best == null || rank < bestRank || (rank == bestRank && candidate.lastAssigned < best.lastAssigned)) {
                best = candidate;
                bestRank = rank;
            }
        }
        return best;
    }
}
