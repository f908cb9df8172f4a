package io.taskcenter.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.messaging.LiveConsumers;
import io.taskcenter.messaging.TaskConsumer;
import io.taskcenter.registry.WorkerRegistry;

/**
 * Ready while the task consumer is attached to RabbitMQ; reports how many workers are online and how many
 * tasks are in flight or waiting. Having no worker does not make the service unready: workers connect to a
 * ready service, not the other way round.
 */
@Readiness
@ApplicationScoped
class DispatchReadiness implements HealthCheck {

    static final String NAME = "Task dispatch";

    private final HealthCenter messaging;
    private final WorkerRegistry workers;
    private final Dispatcher dispatcher;
    private final LiveConsumers consumers;

    DispatchReadiness(HealthCenter messaging, WorkerRegistry workers, Dispatcher dispatcher, LiveConsumers consumers) {
        this.messaging = messaging;
        this.workers = workers;
        this.dispatcher = dispatcher;
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        boolean attached = messaging.getReadiness().getChannels().stream()
                .anyMatch(channel -> channel.getChannel().equals(TaskConsumer.TASKS_CHANNEL) && channel.isOk());
        return HealthCheckResponse.named(NAME)
                .status(attached)
                .withData("consumer", attached ? "attached" : "detached")
                .withData("workersOnline", workers.online().size())
                .withData("tasksInFlight", dispatcher.inFlight())
                .withData("tasksWaiting", dispatcher.waiting())
                .withData("brokerHeartbeatSeconds", consumers.heartbeatSeconds())
                .build();
    }
}
