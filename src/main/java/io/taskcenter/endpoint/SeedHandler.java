package io.taskcenter.endpoint;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.taskcenter.dispatch.Protocol;

/**
 * The seed text protocol: the first text frame is the worker id; anything after it is ignored.
 */
@Singleton
class SeedHandler {

    private final Arrivals arrivals;

    SeedHandler(Arrivals arrivals) {
        this.arrivals = arrivals;
    }

    Uni<Void> onText(String frame, WorkerSession session) {
        if (session.worker() != null) {
            // Seed workers only ever send their id; anything after it has no meaning in this protocol.
            Log.debugf("[%s] ignoring a %d-character frame after the worker id", session, frame.length());
            return Uni.createFrom().voidItem();
        }
        String workerId = frame.strip();
        Admission.Decision decision = arrivals.decide(session, Admission.Claim.seed(workerId));
        if (!decision.admitted()) {
            return session.close(decision.refusal());
        }
        arrivals.admit(session, workerId, Protocol.SEED, decision);
        return Uni.createFrom().voidItem();
    }
}
