package io.taskcenter.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.logging.Log;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.task.InvalidTaskException;
import io.taskcenter.task.Task;
import io.taskcenter.task.TaskParser;

/**
 * Consumes the task queue. Every message ends in exactly one settlement, made by {@link Delivery}, unless its
 * channel closes first, in which case the broker takes it back and nothing may settle it:
 * <ul>
 * <li>ack, once a seed worker's socket took the task, or a v1 worker reported it {@code done};</li>
 * <li>nack with requeue, when no eligible worker took it on its first delivery, when its worker was lost or
 * missed the deadline, when a v1 worker failed it and asked for a retry, or on shutdown;</li>
 * <li>nack without requeue (dead letter), when no worker took it on redelivery;</li>
 * <li>ack after {@link DeadLetters} published it, with its reason, to the dead-letter exchange, when it is not a
 * valid task, when a worker failed it for good, or when it used up its attempts (a nack without requeue if that
 * publish fails).</li>
 * </ul>
 */
@Singleton
public class TaskConsumer {

    /** The incoming channel; its settings live under {@code mp.messaging.incoming.tasks}. */
    public static final String TASKS_CHANNEL = "tasks";

    private static final CompletionStage<Void> NEXT = CompletableFuture.completedFuture(null);

    private final TaskParser parser;
    private final Dispatcher dispatcher;
    private final SettlementListener listener;
    private final LiveConsumers consumers;
    private final Settlements settlements;

    TaskConsumer(TaskParser parser, Dispatcher dispatcher, SettlementListener listener, LiveConsumers consumers,
            Settlements settlements) {
        this.parser = parser;
        this.dispatcher = dispatcher;
        this.listener = listener;
        this.consumers = consumers;
        this.settlements = settlements;
    }

    /**
     * Hands the message to the dispatcher and returns at once, so that a busy worker does not hold up the next
     * message; the prefetch ({@code max-outstanding-messages}) bounds how many are unsettled at a time.
     */
    @Incoming(TASKS_CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        Delivery delivery = QueueDelivery.of(message, consumers, listener);
        if (delivery.isStale()) {
            // Buffered before its channel closed; the broker has requeued it and will deliver it again.
            Log.debugf("[%s] skipped: its consumer is gone and the broker requeued it", delivery);
            return NEXT;
        }

        Task task;
        try {
            task = parser.parse(message.getPayload());
        } catch (InvalidTaskException e) {
            settlements.invalid(delivery, e.getMessage());
            return NEXT;
        }
        if (Log.isDebugEnabled()) {
            // Guarded: the attempt is read from the headers, per task, even when DEBUG is off.
            Log.debugf("[%s] received %s, attempt %d", delivery, task.name(), delivery.attempt());
        }
        dispatcher.submit(delivery, task);
        return NEXT;
    }
}
