package io.taskcenter.registry;

import java.time.Instant;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * One online worker: the id it connected with, the protocol it speaks, the task types it takes, how many
 * tasks it may hold at once, and the socket that reaches it.
 */
public final class Worker {

    public enum Protocol {
        /** The seed's text protocol: task names as text frames, no completion reports. */
        SEED,
        /** JSON frames with {@code done}/{@code failed}; see {@code docs/protocol.md}. */
        V1
    }

    private static final Buffer PING = Buffer.buffer("taskcenter");

    private final String id;
    private final Protocol protocol;
    private final TaskTypes taskTypes;
    private final int capacity;
    private final WebSocketConnection connection;
    private final Instant connectedSince = Instant.now();
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean writeFailed;

    public Worker(String id, Protocol protocol, TaskTypes taskTypes, int capacity, WebSocketConnection connection) {
        this.id = id;
        this.protocol = protocol;
        this.taskTypes = taskTypes;
        this.capacity = capacity;
        this.connection = connection;
    }

    public String id() {
        return id;
    }

    public Protocol protocol() {
        return protocol;
    }

    public TaskTypes taskTypes() {
        return taskTypes;
    }

    public int capacity() {
        return capacity;
    }

    public Instant connectedSince() {
        return connectedSince;
    }

    public String remoteAddress() {
        return connection.handshakeRequest().remoteAddress();
    }

    /** Whether new tasks may go to this worker: it takes the type and its socket is usable. */
    public boolean takes(int taskType) {
        return taskTypes.accepts(taskType) && !writeFailed && connection.isOpen();
    }

    /** Completes once the frame has been written to the socket; fails if the socket is gone. */
    public Uni<Void> send(String frame) {
        return connection.sendText(frame);
    }

    /**
     * A write to this socket failed: the connection is dying even if its close has not been seen yet, so
     * no further task is sent here.
     */
    public void markWriteFailed() {
        writeFailed = true;
    }

    /** The worker sent something (a frame or a pong): it is alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    public long silentForNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    public Uni<Void> ping() {
        return connection.sendPing(PING);
    }

    public Uni<Void> close(CloseReason reason) {
        return connection.close(reason);
    }

    @Override
    public String toString() {
        return "worker " + id + " (" + protocol.name().toLowerCase() + ", connection " + connection.id() + ")";
    }
}
