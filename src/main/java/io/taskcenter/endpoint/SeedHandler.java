package io.taskcenter.endpoint;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.registry.Worker;

/**
 * The seed text protocol: the first text frame is the worker id; anything after it is ignored.
 */
@ApplicationScoped
class SeedHandler {

    private final Admission admission;
    private final int capacity;

    SeedHandler(Admission admission, TaskCenterConfig config) {
        this.admission = admission;
        this.capacity = config.dispatch().seedCapacity();
    }

    Uni<Void> onText(String frame, WebSocketConnection connection) {
        Worker known = Admission.workerOf(connection);
        if (known != null) {
            // Seed workers only ever send their id; anything after it has no meaning in this protocol.
            Log.debugf("[%s] ignoring a %d-character frame after the worker id", known, frame.length());
            return Uni.createFrom().voidItem();
        }
        String workerId = frame.strip();
        Admission.Result check = admission.check(workerId, connection);
        if (!check.admitted()) {
            return Admission.close(connection, check.refusal());
        }
        admission.admit(new Worker(workerId, Worker.Protocol.SEED, check.types(), capacity, connection), connection);
        return Uni.createFrom().voidItem();
    }
}
