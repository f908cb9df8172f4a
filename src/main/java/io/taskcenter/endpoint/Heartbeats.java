package io.taskcenter.endpoint;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.Dispatcher;
import io.vertx.core.Vertx;

/**
 * Pings every worker at {@code taskcenter.heartbeat.interval} and closes the socket of one that has sent
 * nothing, not even a pong, for {@code taskcenter.heartbeat.timeout}. A dead peer often leaves a TCP connection
 * that looks open for minutes; this bounds how long its tasks stay stuck with it.
 * <p>
 * The pings go out in {@value #SLICES} slices over the interval rather than all at once: with 10,000 workers
 * one burst held up task hand-over for some 300 ms (benchmark, p99 of a task to one worker).
 */
@ApplicationScoped
class Heartbeats {

    static final int SLICES = 10;

    private final OpenConnections connections;
    private final Dispatcher dispatcher;
    private final Duration interval;
    private final Duration timeout;
    private long tick;

    Heartbeats(OpenConnections connections, Dispatcher dispatcher, TaskCenterConfig config) {
        this.connections = connections;
        this.dispatcher = dispatcher;
        this.interval = config.heartbeat().interval();
        this.timeout = config.heartbeat().timeout();
    }

    void start(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(Math.max(1, interval.toMillis() / SLICES), timer -> beat(tick++ % SLICES));
    }

    /** Closes every silent worker, and pings the workers of one slice. */
    void beat(long slice) {
        for (WebSocketConnection connection : connections) {
            WorkerSession session = WorkerSession.of(connection);
            if (session == null || session.worker() == null) {
                continue;
            }
            if (session.silentForNanos() > timeout.toNanos()) {
                Log.warnf("[%s] silent for over %d ms: closing it", session, timeout.toMillis());
                // Offline now: the close handshake with a dead peer can take long to give up.
                dispatcher.leave(session);
                Closes.inBackground(session.close(CloseReasons.heartbeatTimeout(timeout)), session);
            } else if (Math.floorMod(System.identityHashCode(session), SLICES) == slice) {
                session.ping().subscribe().with(
                        sent -> {
                        },
                        failure -> Log.debugf("[%s] ping failed: %s", session, failure));
            }
        }
    }
}
