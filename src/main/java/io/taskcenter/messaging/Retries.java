package io.taskcenter.messaging;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Gives a task another attempt by publishing a copy to the back of the task queue with the next attempt number
 * in {@link TaskHeaders#ATTEMPT}, and acking the original once the broker confirms the copy ({@link Copies}).
 * <p>
 * A nack with requeue would be cheaper, but what it does to RabbitMQ's {@code x-delivery-count} depends on the
 * broker: 3.x and 4.0–4.2 count it, 4.3 does not. Counting in a header of our own makes
 * {@code taskcenter.dispatch.max-attempts} mean the same on every version. If the copy cannot be published, the
 * task is requeued the plain way, so it is never lost; that attempt is then not counted.
 */
@ApplicationScoped
public class Retries {

    /** The outgoing channel; its settings live under {@code mp.messaging.outgoing.retries}. */
    public static final String RETRIES_CHANNEL = "retries";

    private final MutinyEmitter<byte[]> retries;

    Retries(@Channel(RETRIES_CHANNEL) MutinyEmitter<byte[]> retries) {
        this.retries = retries;
    }

    CompletionStage<Void> retry(Delivery delivery, String why) {
        return Copies.publish(retries, delivery, Map.of(TaskHeaders.ATTEMPT, delivery.attempt() + 1),
                () -> delivery.ackRetried(why),
                () -> delivery.requeue(why));
    }
}
