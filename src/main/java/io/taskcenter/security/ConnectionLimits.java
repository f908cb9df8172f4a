package io.taskcenter.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.taskcenter.config.TaskCenterConfig;
import io.vertx.core.Vertx;

/**
 * Counts open worker connections, in all and per authenticated worker id, and new connections per address per
 * second, against {@code taskcenter.limits.*}.
 */
@ApplicationScoped
public class ConnectionLimits {

    private final TaskCenterConfig.Limits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> openByWorker = new ConcurrentHashMap<>();
    private final Map<String, Window> recentByAddress = new ConcurrentHashMap<>();

    ConnectionLimits(TaskCenterConfig config) {
        this.limits = config.limits();
    }

    void forgetOldWindows(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(10_000, timer -> {
            long now = currentSecond();
            recentByAddress.values().removeIf(window -> window.second < now);
        });
    }

    /** The reason a new connection from {@code address} is refused, or null if it may go ahead. */
    public Refusal admit(String address, String workerId) {
        // A flood from one address is turned away first, before it can use up the limits below.
        long now = currentSecond();
        Window window = recentByAddress.compute(address,
                (key, current) -> current == null || current.second != now ? new Window(now, 1) : current.plusOne());
        if (window.count > limits.connectionsPerSecondPerAddress()) {
            return new Refusal(429, "more than " + limits.connectionsPerSecondPerAddress()
                    + " new connections per second from " + address);
        }
        if (open.get() >= limits.maxConnections()) {
            return new Refusal(503, "the service has " + limits.maxConnections() + " worker connections open already");
        }
        if (workerId != null && openFor(workerId) >= limits.maxConnectionsPerWorker()) {
            return new Refusal(429, "worker '" + workerId + "' has " + limits.maxConnectionsPerWorker()
                    + " connections open already");
        }
        return null;
    }

    public void opened(String workerId) {
        open.incrementAndGet();
        if (workerId != null) {
            openByWorker.computeIfAbsent(workerId, id -> new AtomicInteger()).incrementAndGet();
        }
    }

    public void closed(String workerId) {
        open.decrementAndGet();
        if (workerId != null) {
            openByWorker.computeIfPresent(workerId, (id, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    public int open() {
        return open.get();
    }

    private int openFor(String workerId) {
        AtomicInteger count = openByWorker.get(workerId);
        return count == null ? 0 : count.get();
    }

    private static long currentSecond() {
        return System.currentTimeMillis() / 1000;
    }

    /** Why a connection is refused, with the HTTP status it gets. */
    public record Refusal(int status, String message) {
    }

    private record Window(long second, int count) {
        Window plusOne() {
            return new Window(second, count + 1);
        }
    }
}
