package io.taskcenter.endpoint;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.registry.TaskTypes;
import io.taskcenter.registry.Worker;
import io.taskcenter.registry.WorkerPolicy;
import io.taskcenter.security.WorkerGrant;

/**
 * Lets a connection in as a worker, whichever protocol it speaks: checks the id it claims against the
 * configuration and puts it online, replacing an older connection with the same id.
 */
@ApplicationScoped
class Admission {

    static final int MAX_ID_LENGTH = 128;

    /** The worker a connection has become once admitted; absent before that. */
    private static final TypedKey<Worker> WORKER = new TypedKey<>("taskcenter.worker");
    /** What the connection's token allows, when tokens are required. */
    private static final TypedKey<WorkerGrant> GRANT = new TypedKey<>("taskcenter.grant");

    private final WorkerPolicy policy;
    private final Dispatcher dispatcher;

    Admission(WorkerPolicy policy, Dispatcher dispatcher) {
        this.policy = policy;
        this.dispatcher = dispatcher;
    }

    static Worker workerOf(WebSocketConnection connection) {
        return connection.userData().get(WORKER);
    }

    static WorkerGrant grantOf(WebSocketConnection connection) {
        return connection.userData().get(GRANT);
    }

    static void grant(WebSocketConnection connection, WorkerGrant grant) {
        connection.userData().put(GRANT, grant);
    }

    /**
     * The task types {@code workerId} may take on this connection, or the reason it may not connect: the
     * configuration's types for the id, narrowed to those its token allows when tokens are required.
     */
    Result check(String workerId, WebSocketConnection connection) {
        Result configured = check(workerId);
        WorkerGrant grant = grantOf(connection);
        if (!configured.admitted() || grant == null) {
            return configured;
        }
        if (!grant.workerId().equals(workerId)) {
            Log.warnf("[connection %s] refused: its token is for worker '%s', it claimed '%s'", connection.id(),
                    grant.workerId(), workerId);
            return Result.refused(CloseReasons.notTheTokensWorker(grant.workerId(), workerId));
        }
        return new Result(configured.types().restrictedTo(grant.taskTypes()), null);
    }

    /** The task types {@code workerId} may take, or the reason it may not connect at all. */
    private Result check(String workerId) {
        if (workerId.isEmpty()) {
            return Result.refused(CloseReasons.EMPTY_ID);
        }
        if (workerId.length() > MAX_ID_LENGTH) {
            return Result.refused(CloseReasons.idTooLong(MAX_ID_LENGTH));
        }
        if (workerId.chars().anyMatch(Character::isISOControl)) {
            return Result.refused(CloseReasons.CONTROL_CHARACTERS);
        }
        Optional<TaskTypes> types = policy.typesFor(workerId);
        if (types.isEmpty()) {
            Log.warnf("Refused unknown worker id '%s'", workerId);
            return Result.refused(CloseReasons.unknownWorker(workerId));
        }
        return new Result(types.get(), null);
    }

    /** Puts {@code worker} online; an older connection with its id is closed, and its tasks go back. */
    void admit(Worker worker, WebSocketConnection connection) {
        connection.userData().put(WORKER, worker);
        dispatcher.online(worker).ifPresent(replaced -> {
            Log.infof("[%s] replaced by a new connection with the same id", replaced);
            inBackground(replaced.close(CloseReasons.REPLACED), replaced);
        });
        Log.infof("[%s] online from %s, takes task types %s, capacity %d", worker, worker.remoteAddress(),
                worker.taskTypes(), worker.capacity());
    }

    /** Starts a close nobody waits for; if the socket is already gone there is nothing left to close. */
    static void inBackground(Uni<Void> close, Object who) {
        close.subscribe().with(
                closed -> {
                },
                failure -> Log.debugf("[%s] close failed, the socket is already gone: %s", who, failure));
    }

    static Uni<Void> close(WebSocketConnection connection, CloseReason reason) {
        Log.debugf("[connection %s] closing: %d %s", connection.id(), reason.getCode(), reason.getMessage());
        return connection.close(reason);
    }

    /** Either the types a worker id takes, or why it is refused. */
    record Result(TaskTypes types, CloseReason refusal) {

        static Result refused(CloseReason refusal) {
            return new Result(null, refusal);
        }

        boolean admitted() {
            return refusal == null;
        }
    }
}
