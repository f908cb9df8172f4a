package io.taskcenter.endpoint;

import java.net.SocketException;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.protocol.v1.V1;
import io.taskcenter.security.ConnectionLimits;
import io.taskcenter.security.WorkerGrant;
import io.taskcenter.security.WorkerTokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;

/**
 * Where workers connect: {@code ws://host:8080/push}. A connection that negotiated the {@value V1#SUBPROTOCOL}
 * subprotocol speaks protocol v1, any other the seed text protocol. This class opens and ends each connection's
 * {@link WorkerSession} and routes frames to the protocol's handler; who gets which task is the dispatcher's call.
 * <p>
 * Every callback runs on the connection's event loop: those returning {@code Uni} by their type, the {@code void}
 * ones by {@link NonBlocking} (websockets-next would run a {@code void} callback on a worker thread, a hop per pong
 * and per close for work that never blocks).
 */
@WebSocket(path = PushEndpoint.PATH)
public class PushEndpoint {

    public static final String PATH = "/push";

    private final SeedHandler seed;
    private final V1Handler v1;
    private final Dispatcher dispatcher;
    private final TaskCenterConfig config;
    private final TaskFrames frames;
    private final Vertx vertx;
    private final int maxMessageSize;
    private final WorkerTokens tokens;
    private final ConnectionLimits limits;
    private final SecurityIdentity identity;

    PushEndpoint(SeedHandler seed, V1Handler v1, Dispatcher dispatcher, TaskCenterConfig config, TaskFrames frames,
            Vertx vertx, @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size") int maxMessageSize,
            WorkerTokens tokens, ConnectionLimits limits, SecurityIdentity identity) {
        this.seed = seed;
        this.v1 = v1;
        this.dispatcher = dispatcher;
        this.config = config;
        this.frames = frames;
        this.vertx = vertx;
        this.maxMessageSize = maxMessageSize;
        this.tokens = tokens;
        this.limits = limits;
        this.identity = identity;
    }

    @OnOpen
    Uni<Void> onOpen(WebSocketConnection connection) {
        Log.debugf("[connection %s] opened (%s), waiting for the worker to introduce itself", connection.id(),
                speaksV1(connection) ? "v1" : "seed");
        WorkerGrant grant = null;
        String problem = null;
        if (tokens.required()) {
            try {
                grant = tokens.grantOf(identity);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        WorkerSession session = WorkerSession.open(connection, grant, frames);
        limits.opened(grant == null ? null : grant.workerId());
        if (problem != null) {
            return session.close(CloseReasons.invalidToken(problem));
        }
        session.helloTimer(vertx.setTimer(config.helloTimeout().toMillis(), timer -> {
            if (connection.isOpen() && session.worker() == null) {
                Closes.inBackground(session.close(CloseReasons.helloTimeout(config.helloTimeout())), session);
            }
        }));
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    Uni<Void> onText(String frame, WebSocketConnection connection) {
        WorkerSession session = WorkerSession.of(connection);
        session.heard();
        return speaksV1(connection) ? v1.onText(frame, session) : seed.onText(frame, session);
    }

    @OnPongMessage
    @NonBlocking
    void onPong(Buffer pong, WebSocketConnection connection) {
        WorkerSession.of(connection).heard();
    }

    @OnBinaryMessage
    Uni<Void> onBinary(Buffer frame, WebSocketConnection connection) {
        return WorkerSession.of(connection).close(CloseReasons.BINARY_FRAME);
    }

    /**
     * A message over {@code max-message-size}, in one frame or several. Vert.x has no type of its own for it, only
     * an {@link IllegalStateException} whose text says "max message size"; any other one is a failure of ours.
     */
    @OnError
    Uni<Void> onIllegalState(IllegalStateException failure, WebSocketConnection connection) {
        if (failure.getMessage() != null && failure.getMessage().contains("max message size")) {
            Log.infof("[%s] closed with 1009: it sent a message over %d bytes", who(connection),
                    maxMessageSize);
            return Closes.close(connection, CloseReasons.tooBig(maxMessageSize));
        }
        return onFailure(failure, connection);
    }

    /** A frame over {@code max-frame-size}: Netty has dropped the connection already, no close frame can go. */
    @OnError
    @NonBlocking
    void onCorruptFrame(CorruptedWebSocketFrameException failure, WebSocketConnection connection) {
        Log.warnf("[%s] dropped: %s (%s)", who(connection), failure.getMessage(), failure.closeStatus());
    }

    /** The peer reset the connection: nothing to answer, and {@link #onClose} takes the worker offline. */
    @OnError
    @NonBlocking
    void onSocketFailure(SocketException failure, WebSocketConnection connection) {
        Log.debugf("[%s] socket failed: %s", who(connection), failure.toString());
    }

    /** The connection closed while a frame was still on its way: {@link #onClose} does what is left to do. */
    @OnError
    @NonBlocking
    void onClosedUnderway(HttpClosedException failure, WebSocketConnection connection) {
        Log.debugf("[%s] closed while a frame was under way: %s", who(connection), failure.toString());
    }

    /**
     * Anything else is a bug of ours: logged once, with its stack, and the socket closed with 1011. The worker's
     * tasks are not lost: the close takes it offline, which returns what it held.
     */
    @OnError
    Uni<Void> onFailure(Throwable failure, WebSocketConnection connection) {
        Log.errorf(failure, "[%s] failed processing a frame; closing it", WorkerSession.of(connection));
        return Closes.close(connection, CloseReasons.FRAME_FAILED);
    }

    @OnClose
    @NonBlocking
    void onClose(WebSocketConnection connection) {
        WorkerSession session = WorkerSession.of(connection);
        if (session == null || !session.end()) {
            return;
        }
        session.cancelHelloTimer(vertx);
        limits.closed(session.grant() == null ? null : session.grant().workerId());
        if (session.worker() != null) {
            Log.infof("[%s] offline: %s", session, describe(connection.closeReason()));
            dispatcher.leave(session);
        }
    }

    private static String describe(CloseReason reason) {
        if (reason == null || reason.getCode() == CloseReason.EMPTY.getCode()) {
            return "the connection ended without a close frame";
        }
        if (reason.getCode() == CloseReason.ABNORMAL.getCode()) {
            return "the connection ended without answering the service's close frame";
        }
        String message = reason.getMessage() == null || reason.getMessage().isEmpty() ? "" : " " + reason.getMessage();
        return "closed with " + reason.getCode() + message;
    }

    /** The session if the connection has one yet, for log lines. */
    private static Object who(WebSocketConnection connection) {
        WorkerSession session = WorkerSession.of(connection);
        return session != null ? session : "connection " + connection.id();
    }

    private static boolean speaksV1(WebSocketConnection connection) {
        return V1.SUBPROTOCOL.equals(connection.subprotocol());
    }
}
