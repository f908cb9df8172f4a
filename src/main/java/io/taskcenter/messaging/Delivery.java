package io.taskcenter.messaging;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.taskcenter.stats.TaskStats;

/**
 * One task message received from RabbitMQ, settled exactly once: acked, requeued or dead-lettered.
 * <p>
 * A delivery from a consumer that is no longer current (the connection dropped and the connector consumed
 * again on a new channel) is not settled at all: the broker requeued it when the old channel closed, and its
 * delivery tag means nothing, or worse another message, on the new channel.
 */
final class Delivery {

    private final IncomingRabbitMQMessage<?> message;
    private final Supplier<String> currentConsumerTag;
    private final TaskStats stats;
    private final AtomicBoolean settled = new AtomicBoolean();

    Delivery(IncomingRabbitMQMessage<?> message, Supplier<String> currentConsumerTag, TaskStats stats) {
        this.message = message;
        this.currentConsumerTag = currentConsumerTag;
        this.stats = stats;
    }

    String consumerTag() {
        return message.message.consumerTag();
    }

    boolean redelivered() {
        return message.message.envelope().isRedeliver();
    }

    /** The task was handed over: the broker may forget it. */
    void ack() {
        if (settle("ack")) {
            message.ack().thenRun(() -> {
                Log.debugf("[%s] acked", this);
                stats.acked();
            });
        }
    }

    /** No worker took the task: requeue it the first time, dead-letter it once it has been redelivered. */
    void requeueOrDeadLetter(String why) {
        if (!redelivered()) {
            if (settle("requeue")) {
                Log.warnf("[%s] requeued (first delivery): %s", this, why);
                message.nack(new NoTakerException(why), Metadata.of(new RabbitMQRejectMetadata(true)))
                        .thenRun(stats::requeued);
            }
        } else {
            deadLetter("redelivered and " + why);
        }
    }

    /** The task can never be handed over: route it to the dead-letter queue. */
    void deadLetter(String why) {
        if (settle("dead-letter")) {
            Log.warnf("[%s] dead-lettered: %s", this, why);
            message.nack(new NoTakerException(why), Metadata.of(new RabbitMQRejectMetadata(false)))
                    .thenRun(stats::deadLettered);
        }
    }

    private boolean settle(String outcome) {
        if (!consumerTag().equals(currentConsumerTag.get())) {
            Log.warnf("[%s] not %s: it came from consumer %s, which the broker has closed and requeued it from",
                    this, outcome, consumerTag());
            settled.set(true);
            return false;
        }
        return settled.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return message.getMessageId()
                .map(id -> "message " + id)
                .orElseGet(() -> "delivery " + message.message.envelope().getDeliveryTag());
    }

    static Delivery of(Message<?> message, Supplier<String> currentConsumerTag, TaskStats stats) {
        IncomingRabbitMQMessage<?> incoming = message.unwrap(IncomingRabbitMQMessage.class);
        return new Delivery(incoming, currentConsumerTag, stats);
    }

    /** Why a message was nacked; RabbitMQ never sees it, it only travels through the connector's nack. */
    static final class NoTakerException extends Exception {
        NoTakerException(String reason) {
            super(reason, null, false, false);
        }
    }
}
