package io.taskcenter.endpoint;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.dispatch.Report;
import io.taskcenter.protocol.v1.FrameException;
import io.taskcenter.protocol.v1.ServiceFrames;
import io.taskcenter.protocol.v1.V1;
import io.taskcenter.protocol.v1.WorkerFrame;
import io.taskcenter.protocol.v1.WorkerFrames;
import io.taskcenter.registry.TaskTypes;
import io.taskcenter.registry.Worker;
import io.taskcenter.security.WorkerGrant;

/**
 * Protocol v1 ({@code docs/protocol.md}): a {@code hello} first, answered with {@code welcome} or a close;
 * then {@code done}, {@code failed} and {@code progress} reports, each about a task the worker holds.
 * A frame the service cannot act on after the {@code hello} gets an {@code error} frame; the socket stays open.
 */
@ApplicationScoped
class V1Handler {

    /** How many frames of this connection got an error answer. */
    private static final TypedKey<Integer> BAD_FRAMES = new TypedKey<>("taskcenter.bad-frames");

    private final Admission admission;
    private final Dispatcher dispatcher;
    private final WorkerFrames reader;
    private final ServiceFrames frames;
    private final int maxCapacity;
    private final Duration heartbeatTimeout;
    private final int maxBadFrames;

    V1Handler(Admission admission, Dispatcher dispatcher, ObjectMapper mapper, TaskCenterConfig config) {
        this.admission = admission;
        this.dispatcher = dispatcher;
        this.reader = new WorkerFrames(mapper);
        this.frames = new ServiceFrames(mapper);
        this.maxCapacity = config.dispatch().maxCapacity();
        this.heartbeatTimeout = config.heartbeat().timeout();
        this.maxBadFrames = config.limits().maxBadFrames();
    }

    Uni<Void> onText(String text, WebSocketConnection connection) {
        Worker worker = Admission.workerOf(connection);
        WorkerFrame frame;
        try {
            frame = reader.read(text);
        } catch (FrameException e) {
            if (worker == null) {
                boolean someOtherFrame = e.frameType() != null && !V1.HELLO.equals(e.frameType());
                return Admission.close(connection, someOtherFrame
                        ? CloseReasons.expectedHello(e.frameType())
                        : CloseReasons.invalidHello(e.getMessage()));
            }
            Log.debugf("[%s] sent a frame it gets an error for: %s", worker, e.getMessage());
            return answerBadFrame(connection, frames.error(e.code(), e.getMessage(), null));
        }
        if (worker == null) {
            return frame instanceof WorkerFrame.Hello hello
                    ? hello(hello, connection)
                    : Admission.close(connection, CloseReasons.expectedHello(frame.type()));
        }
        if (frame instanceof WorkerFrame.Hello) {
            return connection.sendText(frames.error(ServiceFrames.ALREADY_WELCOMED,
                    "this connection was welcomed already; open a new one to change its hello", null));
        }
        return report(worker, frame, connection);
    }

    private Uni<Void> hello(WorkerFrame.Hello hello, WebSocketConnection connection) {
        Admission.Result check = admission.check(hello.workerId(), connection);
        if (!check.admitted()) {
            return Admission.close(connection, check.refusal());
        }
        if (hello.capacity() < 1 || hello.capacity() > maxCapacity) {
            return Admission.close(connection, CloseReasons.capacityOutOfRange(hello.capacity(), maxCapacity));
        }
        WorkerGrant grant = Admission.grantOf(connection);
        if (grant != null && hello.capacity() > grant.maxCapacity()) {
            return Admission.close(connection, CloseReasons.capacityNotGranted(hello.capacity(), grant.maxCapacity()));
        }
        Set<Integer> notGranted = hello.taskTypes().stream()
                .filter(type -> grant != null && !grant.allows(type))
                .collect(Collectors.toSet());
        if (!notGranted.isEmpty()) {
            return Admission.close(connection, CloseReasons.typesNotGranted(notGranted));
        }
        Set<Integer> refused = hello.taskTypes().stream()
                .filter(type -> !check.types().accepts(type))
                .collect(Collectors.toSet());
        if (!refused.isEmpty()) {
            return Admission.close(connection, CloseReasons.typesNotAllowed(hello.workerId(), refused));
        }
        Worker worker = new Worker(hello.workerId(), Worker.Protocol.V1, TaskTypes.of(hello.taskTypes()),
                hello.capacity(), connection);
        // Welcome first, so that the worker never sees a task before it knows it is in.
        return connection.sendText(frames.welcome(hello.workerId(), hello.taskTypes(), hello.capacity(),
                heartbeatTimeout.toMillis()))
                .invoke(() -> admission.admit(worker, connection));
    }

    /** Answers a frame the service cannot act on, and closes a connection that keeps sending them. */
    private Uni<Void> answerBadFrame(WebSocketConnection connection, String error) {
        Integer before = connection.userData().get(BAD_FRAMES);
        int count = before == null ? 1 : before + 1;
        connection.userData().put(BAD_FRAMES, count);
        if (count > maxBadFrames) {
            return Admission.close(connection, CloseReasons.tooManyBadFrames(maxBadFrames));
        }
        return connection.sendText(error);
    }

    private Uni<Void> report(Worker worker, WorkerFrame frame, WebSocketConnection connection) {
        String taskId;
        Report report;
        if (frame instanceof WorkerFrame.Done done) {
            taskId = done.taskId();
            report = dispatcher.completed(worker, taskId, done.result());
        } else if (frame instanceof WorkerFrame.Failed failed) {
            taskId = failed.taskId();
            report = dispatcher.failed(worker, taskId, failed.error(), failed.retry());
        } else {
            taskId = ((WorkerFrame.Progress) frame).taskId();
            report = dispatcher.progress(worker, taskId);
        }
        switch (report) {
            case EXPIRED_TASK:
                Log.warnf("[%s] late report for task %s ignored: its deadline passed and it went back to the queue",
                        worker, taskId);
                return connection.sendText(frames.error(ServiceFrames.EXPIRED_TASK,
                        "the deadline of this task passed; it was returned to the queue", taskId));
            case UNKNOWN_TASK:
                Log.debugf("[%s] report for task %s, which it does not hold", worker, taskId);
                return answerBadFrame(connection, frames.error(ServiceFrames.UNKNOWN_TASK,
                        "this connection does not hold that task", taskId));
            default:
                return Uni.createFrom().voidItem();
        }
    }
}
