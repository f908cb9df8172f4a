package io.taskcenter.messaging;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Dead-letters a task with the reason the service knows and the broker cannot: publishes it to the dead-letter
 * exchange itself, with headers saying why (reason, the worker's error, the attempt, the worker), waits for the
 * broker's confirm, and only then acks the original. If the publish fails, the task is rejected instead, so the
 * broker dead-letters it without the details: it is never lost.
 * <p>
 * The no-worker rule keeps the design card's nack: such a dead letter carries RabbitMQ's {@code x-death} only.
 */
@ApplicationScoped
public class DeadLetters {

    /** The outgoing channel; its settings live under {@code mp.messaging.outgoing.dead-letters}. */
    public static final String DEAD_LETTERS_CHANNEL = "dead-letters";

    /** The service's reason tag ({@link DeadLetterReason#tag()}). */
    public static final String REASON = "x-taskcenter-reason";
    /** What went wrong, in words: the worker's error, or the service's. */
    public static final String ERROR = "x-taskcenter-error";
    /** The attempt that ended it. */
    public static final String ATTEMPT = "x-taskcenter-attempt";
    /** The worker that held it last, if any. */
    public static final String WORKER = "x-taskcenter-worker";
    /** The queue it was consumed from. */
    public static final String QUEUE = "x-taskcenter-queue";
    /** The routing key it was first published with, for a replay. */
    public static final String ROUTING_KEY = "x-taskcenter-routing-key";
    /** When it was dead-lettered, in milliseconds since the epoch. */
    public static final String DEAD_AT = "x-taskcenter-dead-lettered-at";

    /** How long the broker may take to confirm before the task is rejected instead. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final MutinyEmitter<byte[]> deadLetters;
    private final String queue;

    @Inject
    DeadLetters(@Channel(DEAD_LETTERS_CHANNEL) MutinyEmitter<byte[]> deadLetters,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.queue.name") String queue) {
        this.deadLetters = deadLetters;
        this.queue = queue;
    }

    /** Why a task dies, as the service knows it. */
    public record Details(DeadLetterReason reason, String error, String workerId) {
    }

    CompletionStage<Void> deadLetter(Delivery delivery, Details details, String why) {
        if (delivery.isStale()) {
            // Requeued by the broker already; publishing it here would make a second copy.
            return delivery.deadLetter(details.reason(), why);
        }
        return deadLetters.sendMessage(Message.of(delivery.body(), Metadata.of(metadata(delivery, details))))
                .ifNoItem().after(CONFIRM_TIMEOUT).fail()
                .subscribeAsCompletionStage()
                .thenCompose(confirmed -> delivery.ackDeadLettered(details.reason(), why))
                .exceptionallyCompose(failure -> {
                    Log.warnf("[%s] dead letter with its reason not published (%s): rejecting it instead", delivery,
                            failure.toString());
                    return delivery.deadLetter(details.reason(), why);
                });
    }

    private OutgoingRabbitMQMetadata metadata(Delivery delivery, Details details) {
        Map<String, Object> headers = new HashMap<>(delivery.headers());
        headers.put(REASON, details.reason().tag());
        headers.put(ERROR, details.error());
        headers.put(ATTEMPT, delivery.attempt());
        if (details.workerId() != null) {
            headers.put(WORKER, details.workerId());
        }
        headers.put(QUEUE, queue);
        headers.put(ROUTING_KEY, delivery.routingKey());
        headers.put(DEAD_AT, System.currentTimeMillis());
        OutgoingRabbitMQMetadata.Builder metadata = OutgoingRabbitMQMetadata.builder()
                .withHeaders(headers)
                .withMessageId(delivery.taskId())
                .withDeliveryMode(2)
                .withContentType(delivery.contentType().orElse("application/json"));
        delivery.replyTo().ifPresent(metadata::withReplyTo);
        delivery.correlationId().ifPresent(metadata::withCorrelationId);
        delivery.timestamp().ifPresent(time -> metadata.withTimestamp(time.atZone(ZoneOffset.UTC)));
        return metadata.build();
    }
}
