package io.taskcenter.endpoint;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * Closing sockets, with the one log line each close gets.
 */
final class Closes {

    private Closes() {
    }

    static Uni<Void> close(WebSocketConnection connection, CloseReason reason) {
        Log.debugf("[connection %s] closing: %d %s", connection.id(), reason.getCode(), reason.getMessage());
        return connection.close(reason);
    }

    /** Starts a close nobody waits for; if the socket is already gone there is nothing left to close. */
    static void inBackground(Uni<Void> close, Object who) {
        close.subscribe().with(
                closed -> {
                },
                failure -> Log.debugf("[%s] close failed, the socket is already gone: %s", who, failure));
    }
}
