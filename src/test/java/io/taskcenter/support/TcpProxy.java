package io.taskcenter.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A TCP proxy a test can cut, restore or freeze: in front of the broker, to take it away from the service
 * without stopping it for everyone else on the machine; in front of the service, to make a worker go silent.
 */
public final class TcpProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private volatile NetServer server;
    private volatile boolean frozen;
    private volatile boolean cut;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = Sockets.freePort();
    }

    public int port() {
        return port;
    }

    public String targetHost() {
        return targetHost;
    }

    public int targetPort() {
        return targetPort;
    }

    /** Accepts connections and relays them to the target. */
    public TcpProxy start() {
        if (server == null) {
            server = vertx.createNetServer()
                    .connectHandler(this::relay)
                    .listen(port, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().join();
        }
        cut = false;
        return this;
    }

    /**
     * Drops every relayed connection and closes each new one at once, as a broker outage does. The port stays
     * bound: closed and bound again on restore, it was taken in between by another socket on a busy machine.
     */
    public void cut() {
        cut = true;
        sockets.forEach(NetSocket::close);
    }

    public void restore() {
        start();
    }

    /**
     * Stops relaying bytes, both ways, without closing anything: a peer that went silent, as a host that lost
     * power or a network that dropped the route looks from the other end.
     */
    public void freeze() {
        frozen = true;
    }

    /** Relays bytes again after {@link #freeze()}. */
    public void thaw() {
        frozen = false;
    }

    private void relay(NetSocket client) {
        if (cut) {
            client.close();
            return;
        }
        client.pause();
        vertx.createNetClient().connect(targetPort, targetHost).onComplete(connected -> {
            if (connected.failed()) {
                client.close();
                return;
            }
            NetSocket upstream = connected.result();
            if (cut) {
                upstream.close();
                client.close();
                return;
            }
            sockets.add(client);
            sockets.add(upstream);
            client.handler(data -> {
                if (!frozen) {
                    upstream.write(data);
                }
            });
            upstream.handler(data -> {
                if (!frozen) {
                    client.write(data);
                }
            });
            client.closeHandler(ignored -> upstream.close());
            upstream.closeHandler(ignored -> client.close());
            client.resume();
        });
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
