package io.taskcenter.endpoint;

import java.time.Instant;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.dispatch.Protocol;
import io.taskcenter.dispatch.Worker;
import io.vertx.core.Vertx;

/**
 * Turns a connection that introduced itself into an online worker, or refuses it, for both protocols; every
 * refusal is logged here, once, at the same level.
 */
@Singleton
class Arrivals {

    private final Admission admission;
    private final Dispatcher dispatcher;
    private final Vertx vertx;

    Arrivals(Admission admission, Dispatcher dispatcher, Vertx vertx) {
        this.admission = admission;
        this.dispatcher = dispatcher;
        this.vertx = vertx;
    }

    Admission.Decision decide(WorkerSession session, Admission.Claim claim) {
        Admission.Decision decision = admission.decide(claim, session.grant());
        if (!decision.admitted()) {
            Log.warnf("[%s] refused as a worker: %d %s", session, decision.refusal().getCode(),
                    decision.refusal().getMessage());
        }
        return decision;
    }

    /** Puts the worker online; an older connection with its id is closed, and its tasks go back. */
    void admit(WorkerSession session, String workerId, Protocol protocol, Admission.Decision decision) {
        session.cancelHelloTimer(vertx);
        Worker worker = new Worker(workerId, protocol, decision.types(), decision.capacity(), session, Instant.now());
        session.admitted(worker);
        Log.infof("[%s] online from %s, takes task types %s, capacity %d", session, session.remoteAddress(),
                worker.taskTypes(), worker.capacity());
        dispatcher.join(worker);
    }
}
