package io.taskcenter.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.BasicProperties;
import com.rabbitmq.client.Envelope;

import io.quarkus.logging.Log;
import io.taskcenter.dispatch.TaskRef;

/**
 * One task message received from RabbitMQ, settled exactly once: acked, requeued or dead-lettered. Two kinds:
 * a {@link QueueDelivery} from the shared task queue (the connector's channel), and a delivery from a waiting room
 * (the service's own channel). Both settle through the same rules ({@link Settlements}); only the last step, the
 * ack or nack on their channel, differs.
 * <p>
 * A delivery whose channel is gone is stale and is not settled at all: the broker requeued it when the channel
 * closed, and its delivery tag means nothing, or worse another message, on a new channel.
 */
public abstract class Delivery implements TaskRef {

    /** A bound on a producer's header, so the next attempt's number still fits. */
    private static final int MAX_ATTEMPT = 1_000_000;

    private final SettlementListener listener;
    private final AtomicBoolean settled = new AtomicBoolean();
    private String taskId;

    protected Delivery(SettlementListener listener) {
        this.listener = listener;
    }

    /** The message's AMQP properties. */
    protected abstract BasicProperties properties();

    protected abstract Envelope envelope();

    /** The message body, untouched. */
    protected abstract byte[] body();

    /** Acks the message on its channel. */
    protected abstract CompletionStage<Void> sendAck();

    /** Nacks the message on its channel; without requeue, the queue's dead-letter exchange takes it. */
    protected abstract CompletionStage<Void> sendNack(String why, boolean requeue);

    /** Where it came from, for the log line of a delivery that can no longer be settled. */
    protected abstract String origin();

    /**
     * The id workers see: the message's {@code message_id}, or else one derived from what the message carries,
     * so that it is the same on every redelivery.
     */
    @Override
    public String taskId() {
        String id = taskId;
        if (id == null) {
            String given = properties().getMessageId();
            id = given != null && !given.isBlank() ? given : derivedTaskId();
            taskId = id;
        }
        return id;
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
        return Optional.ofNullable(properties().getReplyTo()).filter(queue -> !queue.isBlank());
    }

    public Optional<String> correlationId() {
        return Optional.ofNullable(properties().getCorrelationId());
    }

    /** The message's own headers; never null. */
    public Map<String, Object> headers() {
        Map<String, Object> headers = properties().getHeaders();
        return headers == null ? Map.of() : headers;
    }

    /** The routing key the task was first published with, also on a copy the service published. */
    public String routingKey() {
        Object kept = headers().get(TaskHeaders.ROUTING_KEY);
        return kept != null ? kept.toString() : envelope().getRoutingKey();
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(properties().getContentType());
    }

    public Optional<Instant> timestamp() {
        return Optional.ofNullable(properties().getTimestamp()).map(Date::toInstant);
    }

    /** The message body, for a copy of it. */
    public byte[] payload() {
        return body();
    }

    /** The task is finished with: the broker may forget it. */
    public CompletionStage<Void> ack() {
        if (!settle("ack")) {
            return Stages.DONE;
        }
        return sendAck().thenRun(() -> {
            Log.debugf("[%s] acked", this);
            listener.acked();
        });
    }

    /** Gives the task back to the queue it came from. */
    public CompletionStage<Void> requeue(String why) {
        if (!settle("requeue")) {
            return Stages.DONE;
        }
        Log.warnf("[%s] requeued: %s", this, why);
        return sendNack(why, true).thenRun(listener::requeued);
    }

    /**
     * Acks a task whose copy somewhere else the broker has confirmed already: a waiting room, or the task queue.
     * Counts as neither an ack nor a requeue: the task is still on its way.
     */
    public CompletionStage<Void> ackMoved(String where) {
        if (!settle("ack after its move to " + where)) {
            return Stages.DONE;
        }
        Log.debugf("[%s] moved to %s", this, where);
        return sendAck();
    }

    /**
     * Gives the task back to the queue it came from without counting a requeue: a task taken from a waiting room
     * for a slot that another task took first. The broker counts it towards the room's delivery limit.
     */
    public CompletionStage<Void> putBack(String why) {
        if (!settle("put back")) {
            return Stages.DONE;
        }
        Log.debugf("[%s] put back: %s", this, why);
        return sendNack(why, true);
    }

    /** Acks a task whose dead letter, with its reason, the broker has confirmed already. */
    CompletionStage<Void> ackDeadLettered(DeadLetterReason reason, String why) {
        if (!settle("ack after its dead letter")) {
            return Stages.DONE;
        }
        Log.warnf("[%s] dead-lettered (%s): %s", this, reason.tag(), why);
        return sendAck().thenRun(() -> listener.deadLettered(reason));
    }

    /** Acks a task whose next attempt, a copy at the back of the queue, the broker has confirmed already. */
    CompletionStage<Void> ackRetried(String why) {
        if (!settle("ack after its retry")) {
            return Stages.DONE;
        }
        Log.warnf("[%s] retried: %s", this, why);
        return sendAck().thenRun(listener::requeued);
    }

    /** Rejects the task without requeue, so the broker routes it to the dead-letter queue. */
    public CompletionStage<Void> deadLetter(DeadLetterReason reason, String why) {
        if (!settle("dead-letter")) {
            return Stages.DONE;
        }
        Log.warnf("[%s] dead-lettered (%s): %s", this, reason.tag(), why);
        return sendNack(why, false).thenRun(() -> listener.deadLettered(reason));
    }

    private boolean settle(String outcome) {
        if (isStale()) {
            Log.warnf("[%s] not %s: it came from %s, which the broker has closed and requeued it from",
                    this, outcome, origin());
            settled.set(true);
            return false;
        }
        return settled.compareAndSet(false, true);
    }

    private String derivedTaskId() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(envelope().getExchange().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(envelope().getRoutingKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(properties().getTimestamp()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(body());
            return "sha256-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "task " + taskId();
    }
}
