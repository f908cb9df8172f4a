package io.taskcenter.registry;

import java.time.Instant;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * One online worker: the id it connected with, the task types it takes and the socket that reaches it.
 */
public final class Worker {

    private final String id;
    private final TaskTypes taskTypes;
    private final WebSocketConnection connection;
    private final Instant connectedSince = Instant.now();

    public Worker(String id, TaskTypes taskTypes, WebSocketConnection connection) {
        this.id = id;
        this.taskTypes = taskTypes;
        this.connection = connection;
    }

    public String id() {
        return id;
    }

    public TaskTypes taskTypes() {
        return taskTypes;
    }

    public Instant connectedSince() {
        return connectedSince;
    }

    public boolean takes(int taskType) {
        return taskTypes.accepts(taskType);
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    /** Completes once the frame has been written to the socket; fails if the socket is gone. */
    public Uni<Void> send(String frame) {
        return connection.sendText(frame);
    }

    public Uni<Void> close(CloseReason reason) {
        return connection.close(reason);
    }

    @Override
    public String toString() {
        return "worker " + id + " (connection " + connection.id() + ")";
    }
}
