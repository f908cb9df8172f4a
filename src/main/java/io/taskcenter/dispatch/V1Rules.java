package io.taskcenter.dispatch;

import java.time.Duration;

/**
 * Protocol v1: a task stays with its worker until it reports {@code done} or {@code failed}, or until its
 * deadline passes without a {@code progress}. A worker that goes loses every task it holds, written or not.
 */
final class V1Rules implements Protocol {

    @Override
    public String label() {
        return "v1";
    }

    @Override
    public Verdict written(Worker worker) {
        return null;
    }

    @Override
    public long deadline(long now, Duration timeout) {
        return now + timeout.toNanos();
    }

    @Override
    public boolean losesPendingWritesOnLeave() {
        return true;
    }
}
