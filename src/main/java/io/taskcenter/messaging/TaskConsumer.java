package io.taskcenter.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.logging.Log;
import io.taskcenter.dispatch.NoWorkerException;
import io.taskcenter.dispatch.TaskDispatcher;
import io.taskcenter.stats.TaskStats;
import io.taskcenter.task.InvalidTaskException;
import io.taskcenter.task.Task;
import io.taskcenter.task.TaskParser;

/**
 * Consumes the task queue. Every message ends in exactly one settlement:
 * <ul>
 * <li>ack, once the task has been written to a worker's socket;</li>
 * <li>nack with requeue, when no eligible worker took it and it had not been delivered before;</li>
 * <li>nack without requeue (dead letter), when no worker took it on redelivery, or when it is not a valid task.</li>
 * </ul>
 */
@ApplicationScoped
public class TaskConsumer {

    /** The incoming channel; its settings live under {@code mp.messaging.incoming.tasks}. */
    public static final String TASKS_CHANNEL = "tasks";

    private static final CompletionStage<Void> NEXT = CompletableFuture.completedFuture(null);

    private final TaskParser parser;
    private final TaskDispatcher dispatcher;
    private final TaskStats stats;
    private volatile String currentConsumerTag = "";

    TaskConsumer(TaskParser parser, TaskDispatcher dispatcher, TaskStats stats) {
        this.parser = parser;
        this.dispatcher = dispatcher;
        this.stats = stats;
    }

    /**
     * Starts the dispatch and returns at once, so that one slow socket does not hold up the next message;
     * the prefetch ({@code max-outstanding-messages}) bounds how many are unsettled at a time.
     */
    @Incoming(TASKS_CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        Delivery delivery = Delivery.of(message, () -> currentConsumerTag, stats);
        // Messages arrive in order, so the newest consumer tag is the live consumer's.
        currentConsumerTag = delivery.consumerTag();

        Task task;
        try {
            task = parser.parse(message.getPayload());
        } catch (InvalidTaskException e) {
            delivery.deadLetter("invalid task: " + e.getMessage());
            return NEXT;
        }
        Log.debugf("[%s] dispatching %s", delivery, task);
        dispatcher.dispatch(task).subscribe().with(
                worker -> {
                    Log.debugf("[%s] handed to %s", delivery, worker);
                    delivery.ack();
                },
                failure -> delivery.requeueOrDeadLetter(failure instanceof NoWorkerException
                        ? failure.getMessage()
                        : "dispatch failed: " + failure));
        return NEXT;
    }
}
