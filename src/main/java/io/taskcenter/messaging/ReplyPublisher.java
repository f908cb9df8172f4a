package io.taskcenter.messaging;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Sends a task's outcome back to its producer, RabbitMQ RPC style: to the queue named in the task's
 * {@code reply_to}, through the default exchange, with the task's {@code correlation_id}.
 * <p>
 * The returned stage always completes, within {@link #CONFIRM_TIMEOUT}: a reply that could not be published is
 * logged, and the task is settled anyway, since its work is done (replies are at most once).
 */
// Normal-scoped, not @Singleton: its emitter can be injected only once the channels are wired, after the
// @Incoming bean that settles through it exists.
@ApplicationScoped
public class ReplyPublisher {

    /** The outgoing channel; its settings live under {@code mp.messaging.outgoing.replies}. */
    public static final String REPLIES_CHANNEL = "replies";

    /** How long a reply waits for RabbitMQ's confirm before the task is settled without it. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final MutinyEmitter<String> replies;
    private final ObjectMapper mapper;

    @Inject
    ReplyPublisher(@Channel(REPLIES_CHANNEL) MutinyEmitter<String> replies, ObjectMapper mapper) {
        this.replies = replies;
        this.mapper = mapper;
    }

    /**
     * Replies {@code {"taskId":…,"status":"done","result":…}}, if the task asked for a reply.
     *
     * @param result the JSON text the worker reported, checked to be JSON when its frame was read, passed on as it
     *        is; or null, which the reply says as {@code "result": null}
     */
    public CompletionStage<Void> done(Delivery delivery, String result) {
        return send(delivery, () -> {
            ObjectNode reply = reply(delivery, "done");
            return result == null ? reply.putNull("result") : reply.putRawValue("result", new RawValue(result));
        });
    }

    /** Replies {@code {"taskId":…,"status":"failed","error":…,"attempt":…}}, if the task asked for a reply. */
    public CompletionStage<Void> failed(Delivery delivery, String error) {
        return send(delivery, () -> reply(delivery, "failed").put("error", error).put("attempt", delivery.attempt()));
    }

    private ObjectNode reply(Delivery delivery, String status) {
        return mapper.createObjectNode().put("taskId", delivery.taskId()).put("status", status);
    }

    /** Builds the reply only for a task that asked for one: most do not. */
    private CompletionStage<Void> send(Delivery delivery, Supplier<ObjectNode> reply) {
        Optional<String> asked = delivery.replyTo();
        if (asked.isEmpty()) {
            return Stages.DONE;
        }
        String replyTo = asked.get();
        OutgoingRabbitMQMetadata.Builder metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(replyTo)
                .withContentType("application/json")
                .withDeliveryMode(2);
        delivery.correlationId().ifPresent(metadata::withCorrelationId);
        return Stages.plain(replies.sendMessage(Message.of(reply.get().toString(), Metadata.of(metadata.build())))
                // A confirm lost with its connection never arrives; the task must be settled all the same.
                .ifNoItem().after(CONFIRM_TIMEOUT).fail()
                .onFailure().invoke(failure -> Log.errorf("[%s] reply to %s could not be published: %s",
                        delivery, replyTo, failure.toString()))
                .onFailure().recoverWithNull());
    }
}
