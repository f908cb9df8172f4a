package io.taskcenter.dispatch;

import java.time.Duration;

/**
 * The seed protocol: a task is handed over once its frame is written, and never reported on, so it has no
 * deadline. A task still being written when the worker goes is left to that write: it completes (handed over)
 * or fails (the task waits for another worker).
 */
final class SeedRules implements Protocol {

    @Override
    public String label() {
        return "seed";
    }

    @Override
    public Verdict written(Worker worker) {
        return new Verdict.HandedOver(worker.id());
    }

    @Override
    public long deadline(long now, Duration timeout) {
        return Assignment.NO_DEADLINE;
    }

    @Override
    public boolean losesPendingWritesOnLeave() {
        return false;
    }
}
