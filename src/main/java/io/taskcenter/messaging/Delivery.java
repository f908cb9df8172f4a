package io.taskcenter.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.rabbitmq.client.Envelope;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.taskcenter.stats.DeadLetterReason;
import io.taskcenter.stats.TaskStats;

/**
 * One task message received from RabbitMQ, settled exactly once: acked, requeued or dead-lettered.
 * <p>
 * A delivery whose consumer is gone ({@link LiveConsumers}: the channel closed, the connector consumed again on
 * a new one) is stale and is not settled at all: the broker requeued it when the old channel closed, and its
 * delivery tag means nothing, or worse another message, on the new channel.
 */
public final class Delivery {

    /** Set by quorum queues on redelivery: how many times the message was returned before. */
    static final String DELIVERY_COUNT = "x-delivery-count";

    private final IncomingRabbitMQMessage<?> message;
    private final LiveConsumers consumers;
    private final TaskStats stats;
    private final String taskId;
    private final long receivedNanos = System.nanoTime();
    private final AtomicBoolean settled = new AtomicBoolean();

    Delivery(IncomingRabbitMQMessage<?> message, LiveConsumers consumers, TaskStats stats) {
        this.message = message;
        this.consumers = consumers;
        this.stats = stats;
        this.taskId = message.getMessageId().filter(id -> !id.isBlank()).orElseGet(this::derivedTaskId);
    }

    static Delivery of(Message<?> message, LiveConsumers consumers, TaskStats stats) {
        return new Delivery(message.unwrap(IncomingRabbitMQMessage.class), consumers, stats);
    }

    /**
     * The id workers see: the message's {@code message_id}, or else one derived from what the message carries,
     * so that it is the same on every redelivery.
     */
    public String taskId() {
        return taskId;
    }

    /** 1 on the first delivery; counts every return to the queue after that. */
    public int attempt() {
        Object count = message.getHeaders().get(DELIVERY_COUNT);
        if (count instanceof Number returns) {
            return returns.intValue() + 1;
        }
        return redelivered() ? 2 : 1;
    }

    /** How long ago the service received this delivery. */
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - receivedNanos);
    }

    public boolean redelivered() {
        return envelope().isRedeliver();
    }

    public Optional<String> replyTo() {
        return message.getReplyTo().filter(queue -> !queue.isBlank());
    }

    public Optional<String> correlationId() {
        return message.getCorrelationId();
    }

    String consumerTag() {
        return message.message.consumerTag();
    }

    /** The channel it came on has closed: the broker has requeued it, and it can no longer be settled. */
    public boolean isStale() {
        return !consumers.isLive(consumerTag());
    }

    /** The task is finished with: the broker may forget it. */
    public void ack() {
        if (settle("ack")) {
            message.ack().thenRun(() -> {
                Log.debugf("[%s] acked", this);
                stats.acked();
            });
        }
    }

    /** Gives the task back to the queue, whatever its history: nobody failed it. */
    public void requeue(String why) {
        if (settle("requeue")) {
            Log.warnf("[%s] requeued: %s", this, why);
            nack(why, true).thenRun(stats::requeued);
        }
    }

    /** No worker took the task: requeue it the first time, dead-letter it once it has been redelivered. */
    public void requeueOrDeadLetter(String why) {
        if (redelivered()) {
            deadLetter(DeadLetterReason.NO_WORKER, "redelivered and " + why);
        } else {
            requeue("first delivery and " + why);
        }
    }

    /** The attempt did not complete the task: requeue it for another attempt, unless this was the last one. */
    public void retryOrDeadLetter(String why, int maxAttempts) {
        if (attempt() >= maxAttempts) {
            deadLetter(DeadLetterReason.ATTEMPTS_EXHAUSTED, "attempt " + attempt() + " of " + maxAttempts + ": " + why);
        } else {
            requeue("attempt " + attempt() + " of " + maxAttempts + ": " + why);
        }
    }

    /** The task will never be handed over or completed: route it to the dead-letter queue. */
    public void deadLetter(DeadLetterReason reason, String why) {
        if (settle("dead-letter")) {
            Log.warnf("[%s] dead-lettered (%s): %s", this, reason.tag(), why);
            nack(why, false).thenRun(() -> stats.deadLettered(reason));
        }
    }

    private CompletionStage<Void> nack(String why, boolean requeue) {
        return message.nack(new SettlementReason(why), Metadata.of(new RabbitMQRejectMetadata(requeue)));
    }

    private boolean settle(String outcome) {
        if (isStale()) {
            Log.warnf("[%s] not %s: it came from consumer %s, which the broker has closed and requeued it from",
                    this, outcome, consumerTag());
            settled.set(true);
            return false;
        }
        return settled.compareAndSet(false, true);
    }

    private Envelope envelope() {
        return message.message.envelope();
    }

    private String derivedTaskId() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(envelope().getExchange().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(envelope().getRoutingKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(message.message.properties().getTimestamp()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(message.message.body().getBytes());
            return "sha256-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "task " + taskId;
    }

    /** Why a message was nacked; RabbitMQ never sees it, it only travels through the connector's nack. */
    static final class SettlementReason extends Exception {
        SettlementReason(String reason) {
            super(reason, null, false, false);
        }
    }
}
