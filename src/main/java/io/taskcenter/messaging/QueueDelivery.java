package io.taskcenter.messaging;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.rabbitmq.client.BasicProperties;
import com.rabbitmq.client.Envelope;

import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

/**
 * A task from the shared task queue, received by the connector's {@code @Incoming} channel and settled through it.
 * It is stale once its consumer is gone ({@link LiveConsumers}: the channel closed, the connector consumed again on
 * a new one).
 */
final class QueueDelivery extends Delivery {

    private final IncomingRabbitMQMessage<?> message;
    private final LiveConsumers consumers;

    QueueDelivery(IncomingRabbitMQMessage<?> message, LiveConsumers consumers, SettlementListener listener) {
        super(listener);
        this.message = message;
        this.consumers = consumers;
    }

    static QueueDelivery of(Message<?> message, LiveConsumers consumers, SettlementListener listener) {
        return new QueueDelivery(message.unwrap(IncomingRabbitMQMessage.class), consumers, listener);
    }

    @Override
    protected BasicProperties properties() {
        return message.message.properties();
    }

    @Override
    protected Envelope envelope() {
        return message.message.envelope();
    }

    @Override
    protected byte[] body() {
        return message.message.body().getBytes();
    }

    /** The channel it came on has closed: the broker has requeued it, and it can no longer be settled. */
    @Override
    public boolean isStale() {
        return !consumers.isLive(message.message.consumerTag());
    }

    @Override
    protected CompletionStage<Void> sendAck() {
        return Stages.plain(message.ack());
    }

    @Override
    protected CompletionStage<Void> sendNack(String why, boolean requeue) {
        return Stages.plain(message.nack(new SettlementReason(why), Metadata.of(new RabbitMQRejectMetadata(requeue))));
    }

    @Override
    protected String origin() {
        return "consumer " + message.message.consumerTag();
    }

    /** Why a message was nacked; RabbitMQ never sees it, it only travels through the connector's nack. */
    static final class SettlementReason extends Exception {
        SettlementReason(String reason) {
            super(reason, null, false, false);
        }
    }
}
