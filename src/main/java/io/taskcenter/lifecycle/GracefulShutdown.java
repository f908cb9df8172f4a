package io.taskcenter.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.endpoint.CloseReasons;
import io.taskcenter.messaging.TaskConsumer;
import io.taskcenter.registry.Worker;
import io.taskcenter.registry.WorkerRegistry;

/**
 * On SIGTERM: stop taking tasks, give workers {@code taskcenter.shutdown.drain-timeout} to finish what they
 * hold, return everything else to the queue, and close the worker sockets with 1001 (going away) so that
 * workers reconnect to another instance.
 * <p>
 * This runs on {@link ShutdownDelayInitiatedEvent} (enabled by {@code quarkus.shutdown.delay-enabled}), in the
 * pre-shutdown phase, and not on {@code ShutdownEvent}: by the time that fires, the HTTP server has already closed
 * every WebSocket, and workers could no longer report what they finish.
 */
@ApplicationScoped
class GracefulShutdown {

    private final ChannelRegistry channels;
    private final Dispatcher dispatcher;
    private final WorkerRegistry workers;
    private final TaskCenterConfig config;

    GracefulShutdown(ChannelRegistry channels, Dispatcher dispatcher, WorkerRegistry workers, TaskCenterConfig config) {
        this.channels = channels;
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.config = config;
    }

    void onShutdown(@Observes ShutdownDelayInitiatedEvent shutdown) {
        Log.infof("Shutting down: draining for up to %d ms", config.shutdown().drainTimeout().toMillis());
        PausableChannel tasks = channels.getPausable(TaskConsumer.TASKS_CHANNEL);
        if (tasks != null) {
            tasks.pause();
        }
        dispatcher.drain(config.shutdown().drainTimeout());
        for (Worker worker : workers.online()) {
            worker.close(CloseReasons.SHUTTING_DOWN).subscribe().with(
                    closed -> {
                    },
                    failure -> Log.debugf("[%s] close on shutdown failed: %s", worker, failure));
        }
    }
}
