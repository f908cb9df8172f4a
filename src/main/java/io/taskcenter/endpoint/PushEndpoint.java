package io.taskcenter.endpoint;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.registry.TaskTypes;
import io.taskcenter.registry.Worker;
import io.taskcenter.registry.WorkerPolicy;
import io.taskcenter.registry.WorkerRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Where workers connect: {@code ws://host:8080/push}. The first text frame is the worker id; from then on the
 * worker only receives tasks. This class only speaks the protocol; who gets which task is the dispatcher's call.
 */
@WebSocket(path = PushEndpoint.PATH)
public class PushEndpoint {

    public static final String PATH = "/push";

    static final int MAX_ID_LENGTH = 128;

    /** The worker a connection has become once it sent its id; absent before that. */
    private static final TypedKey<Worker> WORKER = new TypedKey<>("taskcenter.worker");

    private final WorkerRegistry registry;
    private final WorkerPolicy policy;
    private final TaskCenterConfig config;
    private final Vertx vertx;

    PushEndpoint(WorkerRegistry registry, WorkerPolicy policy, TaskCenterConfig config, Vertx vertx) {
        this.registry = registry;
        this.policy = policy;
        this.config = config;
        this.vertx = vertx;
    }

    @OnOpen
    Uni<Void> onOpen(WebSocketConnection connection) {
        Log.debugf("[connection %s] opened, waiting for the worker id", connection.id());
        vertx.setTimer(config.helloTimeout().toMillis(), timer -> {
            if (connection.isOpen() && connection.userData().get(WORKER) == null) {
                inBackground(close(connection, CloseReasons.helloTimeout(config.helloTimeout())), connection.id());
            }
        });
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    Uni<Void> onText(String frame, WebSocketConnection connection) {
        Worker known = connection.userData().get(WORKER);
        if (known != null) {
            // Seed workers only ever send their id; anything after it has no meaning in this protocol.
            Log.debugf("[%s] ignoring a %d-character frame after the worker id", known, frame.length());
            return Uni.createFrom().voidItem();
        }
        String workerId = frame.strip();
        if (workerId.isEmpty()) {
            return close(connection, CloseReasons.EMPTY_ID);
        }
        if (workerId.length() > MAX_ID_LENGTH) {
            return close(connection, CloseReasons.idTooLong(MAX_ID_LENGTH));
        }
        if (workerId.chars().anyMatch(Character::isISOControl)) {
            return close(connection, CloseReasons.CONTROL_CHARACTERS);
        }
        TaskTypes types = policy.typesFor(workerId).orElse(null);
        if (types == null) {
            Log.warnf("[connection %s] refused unknown worker id '%s'", connection.id(), workerId);
            return close(connection, CloseReasons.unknownWorker(workerId));
        }

        Worker worker = new Worker(workerId, types, connection);
        connection.userData().put(WORKER, worker);
        registry.register(worker).ifPresent(replaced -> {
            Log.infof("[%s] replaced by a new connection with the same id", replaced);
            inBackground(replaced.close(CloseReasons.REPLACED), replaced);
        });
        Log.infof("[%s] online from %s, takes task types %s", worker,
                connection.handshakeRequest().remoteAddress(), types);
        return Uni.createFrom().voidItem();
    }

    @OnBinaryMessage
    Uni<Void> onBinary(Buffer frame, WebSocketConnection connection) {
        return close(connection, CloseReasons.BINARY_FRAME);
    }

    @OnClose
    Uni<Void> onClose(WebSocketConnection connection) {
        Worker worker = connection.userData().get(WORKER);
        if (worker != null && registry.unregister(worker)) {
            Log.infof("[%s] offline (%s)", worker, connection.closeReason());
        }
        return Uni.createFrom().voidItem();
    }

    /** Starts a close nobody waits for; if the socket is already gone there is nothing left to close. */
    private static void inBackground(Uni<Void> close, Object who) {
        close.subscribe().with(
                closed -> {
                },
                failure -> Log.debugf("[%s] close failed, the socket is already gone: %s", who, failure));
    }

    private static Uni<Void> close(WebSocketConnection connection, CloseReason reason) {
        Log.debugf("[connection %s] closing: %d %s", connection.id(), reason.getCode(), reason.getMessage());
        return connection.close(reason);
    }
}
