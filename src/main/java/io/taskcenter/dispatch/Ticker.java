package io.taskcenter.dispatch;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Owns the dispatcher's timer: deadlines and the worker-wait are checked every {@link #INTERVAL}.
 */
@ApplicationScoped
class Ticker {

    /** The precision of both timeouts. */
    static final Duration INTERVAL = Duration.ofMillis(100);

    void start(@Observes StartupEvent started, Vertx vertx, Dispatcher dispatcher) {
        vertx.setPeriodic(INTERVAL.toMillis(), timer -> dispatcher.tick());
    }
}
