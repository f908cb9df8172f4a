package io.taskcenter.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.rabbitmq.client.Envelope;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.taskcenter.dispatch.TaskRef;

/**
 * One task message received from RabbitMQ, settled exactly once: acked, requeued or dead-lettered.
 * <p>
 * A delivery whose consumer is gone ({@link LiveConsumers}: the channel closed, the connector consumed again on
 * a new one) is stale and is not settled at all: the broker requeued it when the old channel closed, and its
 * delivery tag means nothing, or worse another message, on the new channel.
 */
public final class Delivery implements TaskRef {

    /** A bound on a producer's header, so the next attempt's number still fits. */
    private static final int MAX_ATTEMPT = 1_000_000;

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final IncomingRabbitMQMessage<?> message;
    private final LiveConsumers consumers;
    private final SettlementListener listener;
    private final String taskId;
    private final AtomicBoolean settled = new AtomicBoolean();

    Delivery(IncomingRabbitMQMessage<?> message, LiveConsumers consumers, SettlementListener listener) {
        this.message = message;
        this.consumers = consumers;
        this.listener = listener;
        this.taskId = message.getMessageId().filter(id -> !id.isBlank()).orElseGet(this::derivedTaskId);
    }

    static Delivery of(Message<?> message, LiveConsumers consumers, SettlementListener listener) {
        return new Delivery(message.unwrap(IncomingRabbitMQMessage.class), consumers, listener);
    }

    /**
     * The id workers see: the message's {@code message_id}, or else one derived from what the message carries,
     * so that it is the same on every redelivery.
     */
    @Override
    public String taskId() {
        return taskId;
    }

    /**
     * 1 on the first delivery. A retry ({@link Retries}) carries the next number in {@link TaskHeaders#ATTEMPT};
     * a task the broker itself gave back (a requeue, or a closed channel) counts one more. RabbitMQ's
     * {@code x-delivery-count} is not read: from 4.3 on it no longer counts requeues.
     */
    @Override
    public int attempt() {
        Object carried = headers().get(TaskHeaders.ATTEMPT);
        long attempt = carried instanceof Number number ? Math.max(1, Math.min(number.longValue(), MAX_ATTEMPT)) : 1;
        return (int) attempt + (redelivered() ? 1 : 0);
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

    /** The message body, untouched. */
    byte[] body() {
        return message.message.body().getBytes();
    }

    /** The message's own headers; never null. */
    Map<String, Object> headers() {
        Map<String, Object> headers = message.message.properties().getHeaders();
        return headers == null ? Map.of() : headers;
    }

    /** The routing key the task was first published with, also on a copy the service published. */
    String routingKey() {
        Object kept = headers().get(TaskHeaders.ROUTING_KEY);
        return kept != null ? kept.toString() : envelope().getRoutingKey();
    }

    Optional<String> contentType() {
        return Optional.ofNullable(message.message.properties().getContentType());
    }

    Optional<Instant> timestamp() {
        return Optional.ofNullable(message.message.properties().getTimestamp()).map(Date::toInstant);
    }

    String consumerTag() {
        return message.message.consumerTag();
    }

    /** The channel it came on has closed: the broker has requeued it, and it can no longer be settled. */
    @Override
    public boolean isStale() {
        return !consumers.isLive(consumerTag());
    }

    /** The task is finished with: the broker may forget it. */
    public CompletionStage<Void> ack() {
        if (!settle("ack")) {
            return DONE;
        }
        return message.ack().thenRun(() -> {
            Log.debugf("[%s] acked", this);
            listener.acked();
        });
    }

    /** Gives the task back to the queue. */
    public CompletionStage<Void> requeue(String why) {
        if (!settle("requeue")) {
            return DONE;
        }
        Log.warnf("[%s] requeued: %s", this, why);
        return nack(why, true).thenRun(listener::requeued);
    }

    /** Acks a task whose dead letter, with its reason, the broker has confirmed already. */
    CompletionStage<Void> ackDeadLettered(DeadLetterReason reason, String why) {
        if (!settle("ack after its dead letter")) {
            return DONE;
        }
        Log.warnf("[%s] dead-lettered (%s): %s", this, reason.tag(), why);
        return message.ack().thenRun(() -> listener.deadLettered(reason));
    }

    /** Acks a task whose next attempt, a copy at the back of the queue, the broker has confirmed already. */
    CompletionStage<Void> ackRetried(String why) {
        if (!settle("ack after its retry")) {
            return DONE;
        }
        Log.warnf("[%s] retried: %s", this, why);
        return message.ack().thenRun(listener::requeued);
    }

    /** Rejects the task without requeue, so the broker routes it to the dead-letter queue. */
    public CompletionStage<Void> deadLetter(DeadLetterReason reason, String why) {
        if (!settle("dead-letter")) {
            return DONE;
        }
        Log.warnf("[%s] dead-lettered (%s): %s", this, reason.tag(), why);
        return nack(why, false).thenRun(() -> listener.deadLettered(reason));
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
