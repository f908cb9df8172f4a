package io.taskcenter.endpoint;

import java.time.Duration;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.dispatch.Protocol;
import io.taskcenter.dispatch.Report;
import io.taskcenter.protocol.v1.FrameException;
import io.taskcenter.protocol.v1.ServiceFrames;
import io.taskcenter.protocol.v1.V1;
import io.taskcenter.protocol.v1.WorkerFrame;
import io.taskcenter.protocol.v1.WorkerFrames;

/**
 * Protocol v1 ({@code docs/protocol.md}): a {@code hello} first, answered with {@code welcome} or a close;
 * then {@code done}, {@code failed} and {@code progress} reports, each about a task the worker holds.
 * A frame the service cannot act on after the {@code hello} gets an {@code error} frame; the socket stays open.
 */
@Singleton
class V1Handler {

    private final Arrivals arrivals;
    private final Dispatcher dispatcher;
    private final WorkerFrames reader;
    private final ServiceFrames frames;
    private final Duration heartbeatTimeout;
    private final int maxBadFrames;

    V1Handler(Arrivals arrivals, Dispatcher dispatcher, ObjectMapper mapper, TaskCenterConfig config) {
        this.arrivals = arrivals;
        this.dispatcher = dispatcher;
        this.reader = new WorkerFrames(mapper);
        this.frames = new ServiceFrames(mapper);
        this.heartbeatTimeout = config.heartbeat().timeout();
        this.maxBadFrames = config.limits().maxBadFrames();
    }

    Uni<Void> onText(String text, WorkerSession session) {
        WorkerFrame frame;
        try {
            frame = reader.read(text);
        } catch (FrameException e) {
            if (session.worker() == null) {
                boolean someOtherFrame = e.frameType() != null && !V1.HELLO.equals(e.frameType());
                return session.close(someOtherFrame
                        ? CloseReasons.expectedHello(e.frameType())
                        : CloseReasons.invalidHello(e.getMessage()));
            }
            Log.debugf("[%s] sent a frame it gets an error for: %s", session, e.getMessage());
            return answerBadFrame(session, frames.error(e.code(), e.getMessage(), null));
        }
        if (session.worker() == null) {
            return frame instanceof WorkerFrame.Hello hello
                    ? hello(hello, session)
                    : session.close(CloseReasons.expectedHello(frame.type()));
        }
        if (frame instanceof WorkerFrame.Hello) {
            return session.connection().sendText(frames.error(ServiceFrames.ALREADY_WELCOMED,
                    "this connection was welcomed already; open a new one to change its hello", null));
        }
        if (frame instanceof WorkerFrame.Drain) {
            int holding = dispatcher.drain(session);
            Log.infof("[%s] draining: takes no more tasks, finishing the %d it holds", session, holding);
            return session.connection().sendText(frames.draining(Math.max(holding, 0)));
        }
        return report(frame, session);
    }

    private Uni<Void> hello(WorkerFrame.Hello hello, WorkerSession session) {
        Admission.Decision decision = arrivals.decide(session,
                new Admission.Claim(hello.workerId(), hello.taskTypes(), hello.capacity()));
        if (!decision.admitted()) {
            return session.close(decision.refusal());
        }
        // Welcome first, so that the worker never sees a task before it knows it is in.
        return session.connection().sendText(frames.welcome(hello.workerId(), hello.taskTypes(), hello.capacity(),
                heartbeatTimeout.toMillis()))
                .invoke(() -> arrivals.admit(session, hello.workerId(), Protocol.V1, decision));
    }

    /** Answers a frame the service cannot act on, and closes a connection that keeps sending them. */
    private Uni<Void> answerBadFrame(WorkerSession session, String error) {
        if (session.badFrame() > maxBadFrames) {
            return session.close(CloseReasons.tooManyBadFrames(maxBadFrames));
        }
        return session.connection().sendText(error);
    }

    private Uni<Void> report(WorkerFrame frame, WorkerSession session) {
        String taskId;
        Report report;
        if (frame instanceof WorkerFrame.Done done) {
            taskId = done.taskId();
            report = dispatcher.done(session, taskId, done.result());
        } else if (frame instanceof WorkerFrame.Failed failed) {
            taskId = failed.taskId();
            report = dispatcher.failed(session, taskId, failed.error(), failed.retry());
        } else {
            taskId = ((WorkerFrame.Progress) frame).taskId();
            report = dispatcher.progress(session, taskId);
        }
        switch (report) {
            case EXPIRED_TASK:
                Log.warnf("[%s] late report for task %s ignored: its deadline passed and it went back to the queue",
                        session, taskId);
                return session.connection().sendText(frames.error(ServiceFrames.EXPIRED_TASK,
                        "the deadline of this task passed; it was returned to the queue", taskId));
            case UNKNOWN_TASK:
                Log.debugf("[%s] report for task %s, which it does not hold", session, taskId);
                return answerBadFrame(session, frames.error(ServiceFrames.UNKNOWN_TASK,
                        "this connection does not hold that task", taskId));
            default:
                return Uni.createFrom().voidItem();
        }
    }
}
