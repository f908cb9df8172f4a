package io.taskcenter.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.rabbitmq.ClientHolder;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQConnector;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.smallrye.reactive.messaging.rabbitmq.fault.RabbitMQFailureHandler;
import io.vertx.mutiny.core.Context;

/**
 * The {@code failure-strategy} of the tasks channel: a nack rejects the message, requeueing it only when the
 * nack carries {@link RabbitMQRejectMetadata} asking for it, so without a queue we dead-letter.
 * <p>
 * The connector's own {@code reject} strategy does the same but logs every nack as "rejected", also when it
 * requeues; {@link Delivery} already logs what it decided and why, so this handler stays quiet.
 */
public class SettleAsToldFailureHandler implements RabbitMQFailureHandler {

    public static final String NAME = "settle-as-told";

    @ApplicationScoped
    @Identifier(NAME)
    public static class Factory implements RabbitMQFailureHandler.Factory {

        @Override
        public RabbitMQFailureHandler create(RabbitMQConnectorIncomingConfiguration config, RabbitMQConnector connector) {
            return new SettleAsToldFailureHandler();
        }
    }

    @Override
    public <V> CompletionStage<Void> handle(IncomingRabbitMQMessage<V> message, Metadata metadata, Context context,
            Throwable reason) {
        boolean requeue = metadata != null && metadata.get(RabbitMQRejectMetadata.class)
                .map(RabbitMQRejectMetadata::isRequeue)
                .orElse(false);
        return ClientHolder.runOnContext(context, message, m -> m.rejectMessage(reason, requeue));
    }
}
