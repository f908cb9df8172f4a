package io.taskcenter.lifecycle;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.Closing;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.dispatch.WorkerSnapshot;
import io.taskcenter.messaging.TaskConsumer;

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
    private final TaskCenterConfig config;

    GracefulShutdown(ChannelRegistry channels, Dispatcher dispatcher, TaskCenterConfig config) {
        this.channels = channels;
        this.dispatcher = dispatcher;
        this.config = config;
    }

    void onShutdown(@Observes ShutdownDelayInitiatedEvent shutdown) {
        long timeout = config.shutdown().drainTimeout().toMillis();
        Log.infof("Shutting down: draining for up to %d ms", timeout);
        PausableChannel tasks = channels.getPausable(TaskConsumer.TASKS_CHANNEL);
        if (tasks != null) {
            tasks.pause();
        }
        int waiting = dispatcher.waiting();
        try {
            dispatcher.drain().get(timeout, TimeUnit.MILLISECONDS);
            Log.infof("Drained: %d waiting tasks returned to the queue, every held task settled", waiting);
        } catch (TimeoutException e) {
            int unfinished = dispatcher.inFlight();
            dispatcher.abandonHeld();
            Log.infof("Drained: %d waiting and %d unfinished tasks returned to the queue", waiting, unfinished);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dispatcher.abandonHeld();
        } catch (ExecutionException e) {
            Log.errorf(e.getCause(), "The drain failed; returning what workers hold");
            dispatcher.abandonHeld();
        }
        for (WorkerSnapshot online : dispatcher.online()) {
            online.worker().link().close(Closing.SHUTTING_DOWN);
        }
    }
}
