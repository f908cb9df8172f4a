package io.taskcenter.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import io.quarkus.logging.Log;
import io.taskcenter.messaging.DeadLetterReason;
import io.taskcenter.messaging.TaskHeaders;

/**
 * Looks into the dead-letter queue and moves its tasks back to the tasks exchange.
 * <p>
 * A peek takes messages without acknowledging them and gives them all back, so nothing leaves the queue.
 * A replay publishes each message with a publisher confirm before it acknowledges it in the dead-letter queue:
 * if the replay stops midway, every message is in one queue or the other (at worst, briefly, in both).
 */
@ApplicationScoped
public class DeadLetterQueue {

    /** The headers RabbitMQ keeps a message's history in; a replayed task starts with a clean one. */
    private static final List<String> HISTORY_HEADERS = List.of("x-death", "x-first-death-exchange",
            "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue",
            "x-last-death-reason", "x-delivery-count", TaskHeaders.REASON, TaskHeaders.ERROR, TaskHeaders.ATTEMPT,
            TaskHeaders.WORKER, TaskHeaders.QUEUE, TaskHeaders.ROUTING_KEY, TaskHeaders.DEAD_AT);
    /** RabbitMQ's reason for a message the service rejected; only the no-worker rule does that on purpose. */
    private static final String REJECTED = "rejected";
    /**
     * RabbitMQ's reason for a message returned to its queue more often than the queue's delivery limit allows
     * ({@link DeliveryLimits}), shown as {@link #DELIVERY_LIMIT_TAG}: the broker dead-lettered it, not the service.
     */
    private static final String DELIVERY_LIMIT = "delivery_limit";
    static final String DELIVERY_LIMIT_TAG = "delivery-limit";

    /** The longest a look waits for the messages it returned to be ready again. */
    private static final Duration RETURN_WAIT = Duration.ofSeconds(2);

    private final BrokerClient broker;
    private final String queue;
    private final String exchange;

    DeadLetterQueue(BrokerClient broker,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.dead-letter-queue-name") String queue,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.exchange.name") String exchange) {
        this.broker = broker;
        this.queue = queue;
        this.exchange = exchange;
    }

    /** How many messages are ready in the dead-letter queue. */
    public long size() throws BrokerUnavailableException {
        return broker.withChannel(channel -> channel.messageCount(queue));
    }

    /** The messages at positions {@code offset} to {@code offset + limit - 1}, oldest first; none is removed. */
    public List<DeadLetter> peek(int offset, int limit) throws BrokerUnavailableException {
        return broker.withChannel(channel -> {
            List<DeadLetter> page = new ArrayList<>();
            long readyBefore = channel.messageCount(queue);
            long lastTag = -1;
            try {
                for (int position = 0; position < offset + limit; position++) {
                    GetResponse message = channel.basicGet(queue, false);
                    if (message == null) {
                        break;
                    }
                    lastTag = message.getEnvelope().getDeliveryTag();
                    if (position >= offset) {
                        page.add(toDeadLetter(message));
                    }
                }
            } finally {
                if (lastTag >= 0) {
                    channel.basicNack(lastTag, true, true);
                    awaitReturned(channel, readyBefore);
                }
            }
            return page;
        });
    }

    /**
     * A quorum queue takes returned messages back asynchronously: right after the nack they are neither unacked
     * nor ready, and a look that came next would find the queue empty. Wait, briefly, until they are ready again
     * (or until a replay running meanwhile makes that impossible: then the time bound ends the wait).
     */
    private void awaitReturned(Channel channel, long readyBefore) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RETURN_WAIT.toNanos();
        while (channel.messageCount(queue) < readyBefore && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /**
     * Moves up to {@code count} messages (all of those present when it starts, if null) back to the tasks
     * exchange, with the routing key they were first published with.
     *
     * @return how many were moved; the call fails if the broker fails midway, with nothing lost
     */
    public int replay(Integer count) throws BrokerUnavailableException {
        return broker.withChannel(channel -> {
            channel.confirmSelect();
            // Bounded by what is there now: a replayed task that dead-letters again is not replayed twice.
            long limit = count != null ? count : channel.messageCount(queue);
            int moved = 0;
            while (moved < limit) {
                GetResponse message = channel.basicGet(queue, false);
                if (message == null) {
                    break;
                }
                moveBack(channel, message);
                moved++;
            }
            Log.infof("Replayed %d dead-lettered tasks from %s to exchange %s", moved, queue, exchange);
            return moved;
        });
    }

    private void moveBack(Channel channel, GetResponse message)
            throws IOException, InterruptedException, TimeoutException {
        AMQP.BasicProperties original = message.getProps();
        Map<String, Object> headers = new HashMap<>(original.getHeaders() == null ? Map.of() : original.getHeaders());
        String routingKey = routingKey(original.getHeaders() == null ? Map.of() : original.getHeaders(),
                firstDeath(original).orElse(Map.of()), "replay");
        HISTORY_HEADERS.forEach(headers::remove);
        channel.basicPublish(exchange, routingKey, original.builder().headers(headers).build(), message.getBody());
        channel.waitForConfirmsOrDie(BrokerClient.TIMEOUT.toMillis());
        channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
    }

    private static DeadLetter toDeadLetter(GetResponse message) {
        AMQP.BasicProperties properties = message.getProps();
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        Map<String, Object> death = firstDeath(properties).orElse(Map.of());
        String brokerReason = text(death.get("reason"));
        String reason = text(headers.get(TaskHeaders.REASON));
        if (reason == null && REJECTED.equals(brokerReason)) {
            reason = DeadLetterReason.NO_WORKER.tag();
        }
        if (reason == null && DELIVERY_LIMIT.equals(brokerReason)) {
            reason = DELIVERY_LIMIT_TAG;
        }
        Object time = death.get("time");
        Object deadAt = headers.get(TaskHeaders.DEAD_AT);
        Object count = death.get("count");
        Object attempt = headers.get(TaskHeaders.ATTEMPT);
        return new DeadLetter(
                properties.getMessageId(),
                new String(message.getBody(), StandardCharsets.UTF_8),
                reason != null ? reason : brokerReason,
                text(headers.get(TaskHeaders.ERROR)),
                attempt instanceof Number number ? number.intValue() : null,
                text(headers.get(TaskHeaders.WORKER)),
                brokerReason,
                death.isEmpty() ? text(headers.get(TaskHeaders.QUEUE)) : text(death.get("queue")),
                routingKey(headers, death, message.getEnvelope().getRoutingKey()),
                time instanceof Date date ? date.toInstant()
                        : deadAt instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : null,
                count instanceof Number number ? number.longValue() : death.isEmpty() ? 1 : 0);
    }

    /** The routing key the task was first published with: kept by the service, or in RabbitMQ's x-death. */
    private static String routingKey(Map<String, Object> headers, Map<String, Object> death, String otherwise) {
        Object kept = headers.get(TaskHeaders.ROUTING_KEY);
        if (kept != null) {
            return kept.toString();
        }
        return death.isEmpty() ? otherwise : firstRoutingKey(death);
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> firstDeath(AMQP.BasicProperties properties) {
        Object deaths = properties.getHeaders() == null ? null : properties.getHeaders().get("x-death");
        if (deaths instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?>) {
            // RabbitMQ keeps the most recent death first.
            return Optional.of((Map<String, Object>) list.get(list.size() - 1));
        }
        return Optional.empty();
    }

    private static String firstRoutingKey(Map<String, Object> death) {
        Object keys = death.get("routing-keys");
        if (keys instanceof List<?> list && !list.isEmpty()) {
            return text(list.get(0));
        }
        return "replay";
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
