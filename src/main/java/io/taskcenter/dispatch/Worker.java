package io.taskcenter.dispatch;

import java.time.Instant;

import io.taskcenter.task.TaskTypes;

/**
 * A worker as admitted: the id it connected with, the protocol it speaks, the task types it takes, how many tasks
 * it may hold at once, and the link that reaches it. One per connection: a reconnect is a new {@code Worker}.
 */
public record Worker(String id, Protocol protocol, TaskTypes taskTypes, int capacity, WorkerLink link,
        Instant connectedSince) {

    public Worker {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
    }

    @Override
    public String toString() {
        return "worker " + id + " (" + protocol.label() + ")";
    }
}
