package io.taskcenter.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Dead-letters a task with the reason the service knows and the broker cannot: publishes it to the dead-letter
 * exchange itself, with headers saying why ({@link TaskHeaders}: reason, the worker's error, the attempt, the
 * worker), waits for the broker's confirm, and only then acks the original ({@link Copies}). If the publish
 * fails, the task is rejected instead, so the broker dead-letters it without the details: it is never lost.
 * <p>
 * The no-worker rule keeps the design card's nack: such a dead letter carries RabbitMQ's {@code x-death} only.
 */
@ApplicationScoped
public class DeadLetters {

    /** The outgoing channel; its settings live under {@code mp.messaging.outgoing.dead-letters}. */
    public static final String DEAD_LETTERS_CHANNEL = "dead-letters";

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
        return Copies.publish(deadLetters, delivery, headers(delivery, details),
                () -> delivery.ackDeadLettered(details.reason(), why),
                () -> delivery.deadLetter(details.reason(), why));
    }

    private Map<String, Object> headers(Delivery delivery, Details details) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(TaskHeaders.REASON, details.reason().tag());
        headers.put(TaskHeaders.ERROR, details.error());
        headers.put(TaskHeaders.ATTEMPT, delivery.attempt());
        if (details.workerId() != null) {
            headers.put(TaskHeaders.WORKER, details.workerId());
        }
        headers.put(TaskHeaders.QUEUE, queue);
        headers.put(TaskHeaders.DEAD_AT, System.currentTimeMillis());
        return headers;
    }
}
