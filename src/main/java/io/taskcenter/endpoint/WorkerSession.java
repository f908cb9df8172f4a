package io.taskcenter.endpoint;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.taskcenter.dispatch.Assignment;
import io.taskcenter.dispatch.Closing;
import io.taskcenter.dispatch.Worker;
import io.taskcenter.dispatch.WorkerLink;
import io.taskcenter.security.WorkerGrant;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Everything the service knows about one worker connection: what its token allows, the worker it became once
 * admitted, how many frames it got an error for, its hello timer, when it was last heard from. Created when the
 * socket opens and ended once when it closes; it is also the dispatch core's link to the worker, encoding each
 * task in the protocol the connection speaks.
 */
final class WorkerSession implements WorkerLink {

    private static final TypedKey<WorkerSession> KEY = new TypedKey<>("taskcenter.session");
    /** Not a static constant: a Vert.x buffer created at build time would end up in a native image's heap. */
    private static final String PING_DATA = "taskcenter";

    private final WebSocketConnection connection;
    private final WorkerGrant grant;
    private final TaskFrames frames;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Worker worker;
    private volatile long lastHeardNanos = System.nanoTime();
    private int badFrames;
    private long helloTimer = -1;

    private WorkerSession(WebSocketConnection connection, WorkerGrant grant, TaskFrames frames) {
        this.connection = connection;
        this.grant = grant;
        this.frames = frames;
    }

    /** Opens the session of a new connection; {@code grant} is null when tokens are not required. */
    static WorkerSession open(WebSocketConnection connection, WorkerGrant grant, TaskFrames frames) {
        WorkerSession session = new WorkerSession(connection, grant, frames);
        connection.userData().put(KEY, session);
        return session;
    }

    static WorkerSession of(WebSocketConnection connection) {
        return connection.userData().get(KEY);
    }

    WebSocketConnection connection() {
        return connection;
    }

    /** What the connection's token allows, or null when tokens are not required. */
    WorkerGrant grant() {
        return grant;
    }

    /** The worker this connection was admitted as, or null before its hello. */
    Worker worker() {
        return worker;
    }

    void admitted(Worker worker) {
        this.worker = worker;
    }

    /** Counts one more frame the connection got an error for, and returns the count. */
    synchronized int badFrame() {
        return ++badFrames;
    }

    synchronized void helloTimer(long timerId) {
        helloTimer = timerId;
    }

    /** Cancels the hello timer, if it is still set: on admission or close, whichever comes first. */
    void cancelHelloTimer(Vertx vertx) {
        long timer;
        synchronized (this) {
            timer = helloTimer;
            helloTimer = -1;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The worker sent something (a frame or a pong): it is alive. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentForNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    /** Whether this is the first call: the close bookkeeping happens exactly once per connection. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    Uni<Void> ping() {
        return connection.sendPing(Buffer.buffer(PING_DATA));
    }

    Uni<Void> close(CloseReason reason) {
        return Closes.close(connection, reason);
    }

    /**
     * A plain future, not {@code subscribeAsCompletionStage()}'s: that one is contextual when context propagation is
     * on the classpath, and the dispatcher's callback on it would capture and restore a context it does not need,
     * once per task.
     */
    @Override
    public CompletionStage<Void> send(Assignment assignment) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        connection.sendText(frames.encode(assignment)).subscribe()
                .with(nothing -> written.complete(null), written::completeExceptionally);
        return written;
    }

    @Override
    public void close(Closing why) {
        if (why == Closing.REPLACED) {
            Log.infof("[%s] replaced by a new connection with the same id", this);
        }
        Closes.inBackground(close(why == Closing.REPLACED ? CloseReasons.REPLACED : CloseReasons.SHUTTING_DOWN), this);
    }

    @Override
    public String remoteAddress() {
        return connection.handshakeRequest().remoteAddress();
    }

    @Override
    public String toString() {
        Worker admitted = worker;
        return admitted == null ? "connection " + connection.id()
                : "worker " + admitted.id() + " (" + admitted.protocol().label() + ", connection " + connection.id() + ")";
    }
}
