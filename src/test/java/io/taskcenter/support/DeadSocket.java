package io.taskcenter.support;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * A socket that still looks open but fails every write, as a TCP connection does whose peer vanished
 * without a close frame. The seed acked before writing and lost every task sent to one of these.
 */
public final class DeadSocket {

    private final AtomicInteger writes = new AtomicInteger();
    private final WebSocketConnection connection;

    public DeadSocket(String id) {
        this.connection = (WebSocketConnection) Proxy.newProxyInstance(
                WebSocketConnection.class.getClassLoader(),
                new Class<?>[] { WebSocketConnection.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "sendText" -> {
                        writes.incrementAndGet();
                        yield Uni.createFrom().failure(new IOException("Connection reset by peer"));
                    }
                    case "isOpen" -> true;
                    case "isClosed" -> false;
                    case "id" -> id;
                    case "close" -> Uni.createFrom().voidItem();
                    case "toString" -> "dead socket " + id;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    public WebSocketConnection connection() {
        return connection;
    }

    /** How many writes were attempted on this socket. */
    public int writes() {
        return writes.get();
    }
}
