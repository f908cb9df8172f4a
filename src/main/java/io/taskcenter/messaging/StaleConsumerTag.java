package io.taskcenter.messaging;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Silences one harmless failure at shutdown. After the broker closed the connection and the connector consumed
 * again on a new channel, cancelling the consumer on shutdown runs {@code basicCancel} on the old channel
 * (vertx-rabbitmq-client keeps it in its consumer handler), which fails with "Unknown consumerTag"; Mutiny then
 * logs a 40-line ERROR. Nothing is lost: closing the connection ends the consumer anyway. Every other dropped
 * failure is logged as Quarkus logs it.
 */
@ApplicationScoped
class StaleConsumerTag {

    private static final Logger MUTINY = Logger.getLogger("io.quarkus.mutiny.runtime.MutinyInfrastructure");

    void install(@Observes StartupEvent started) {
        Infrastructure.setDroppedExceptionHandler(failure -> {
            if (failure instanceof IOException && "Unknown consumerTag".equals(failure.getMessage())) {
                Log.debug("RabbitMQ consumer not cancelled on shutdown: a reconnect had replaced its channel");
                return;
            }
            MUTINY.error("Mutiny had to drop the following exception", failure);
        });
    }
}
