package io.taskcenter.dispatch;

/**
 * An online worker and how many tasks it holds, read at one moment.
 */
public record WorkerSnapshot(Worker worker, int inFlight) {
}
