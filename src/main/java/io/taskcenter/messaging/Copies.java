package io.taskcenter.messaging;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * A copy of a task that the service publishes itself (a retry, a dead letter), settled in one order: the copy
 * is confirmed by the broker before the original is acked, so the task is always in at least one queue. If the
 * confirm fails or does not come, the original is settled the plain way instead, and nothing is lost.
 */
final class Copies {

    /** How long the broker may take to confirm a copy before the original is settled without it. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private Copies() {
    }

    /**
     * Publishes a copy of {@code delivery} with its own headers plus {@code extra}, then {@code confirmed}; if
     * the publish fails, or the delivery is stale, {@code otherwise}.
     */
    static CompletionStage<Void> publish(MutinyEmitter<byte[]> channel, Delivery delivery, Map<String, Object> extra,
            Supplier<CompletionStage<Void>> confirmed, Supplier<CompletionStage<Void>> otherwise) {
        if (delivery.isStale()) {
            // Requeued by the broker already; a copy would be a second one.
            return otherwise.get();
        }
        return channel.sendMessage(Message.of(delivery.body(), Metadata.of(metadata(delivery, extra))))
                .ifNoItem().after(CONFIRM_TIMEOUT).fail()
                .subscribeAsCompletionStage()
                .thenCompose(done -> confirmed.get())
                .exceptionallyCompose(failure -> {
                    Log.warnf("[%s] copy not published (%s): settling the original instead", delivery,
                            failure.toString());
                    return otherwise.get();
                });
    }

    /** Everything a worker or a replay needs again: id (even a derived one), reply address, time, headers. */
    private static OutgoingRabbitMQMetadata metadata(Delivery delivery, Map<String, Object> extra) {
        Map<String, Object> headers = new HashMap<>(delivery.headers());
        headers.put(TaskHeaders.ROUTING_KEY, delivery.routingKey());
        headers.putAll(extra);
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
