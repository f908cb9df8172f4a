package io.taskcenter.broker;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.AMQP;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The {@code x-delivery-limit} the service declares its two quorum queues with, handed to the connector as
 * queue arguments ({@code queue.arguments}, {@code dead-letter-queue.arguments}).
 * <p>
 * RabbitMQ 4.x gives every quorum queue a delivery limit of 20 unless told otherwise, and counts each return of
 * a message towards it (a nack with requeue, a closed channel) until it drops or dead-letters the message. The
 * service counts attempts itself ({@code taskcenter.dispatch.max-attempts}), so:
 * <ul>
 * <li>{@code tasks} gets {@value #TASKS} returns: far more than shutdowns, lost connections and the no-worker
 * requeue give one task, but a bound on a task that crashes the service each time it is taken. A task that
 * reaches it is dead-lettered by the broker, with {@code x-death} reason {@code delivery_limit}.</li>
 * <li>{@code tasks.dead} gets no limit that can be reached: each look at it ({@code GET /api/dead-letters}) is a
 * get and a requeue, and must never cost a dead letter.</li>
 * </ul>
 * The same value means the same on 3.x and 4.x; -1, 4.x's "no limit", would drop a message on its first return on
 * 3.x. Queue arguments cannot change once a queue exists: a queue declared before this, without a limit, is
 * declared as it is (the connector would fail otherwise), with a warning naming the policy that sets one.
 */
@ApplicationScoped
public class DeliveryLimits {

    /** Returns of one message to {@code tasks} before the broker dead-letters it. */
    public static final int TASKS = 100;
    /** Returns of one dead letter to {@code tasks.dead}: never reached (one look a second for 68 years). */
    static final int DEAD_LETTERS = Integer.MAX_VALUE;

    public static final String LIMIT = "x-delivery-limit";
    private static final int BEFORE_MESSAGING = 900;
    private static final String QUEUE_TYPE = "x-queue-type";

    private final BrokerClient broker;
    private final String tasksQueue;
    private final String tasksQueueType;
    private final String deadLetterExchange;
    private final String deadLetterRoutingKey;
    private final String deadLetterQueue;
    private final String deadLetterQueueType;
    private final Map<String, Map<String, Object>> settled = new ConcurrentHashMap<>();

    DeliveryLimits(BrokerClient broker,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.queue.name") String tasksQueue,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.queue.x-queue-type") String tasksQueueType,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.dead-letter-exchange") String deadLetterExchange,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.dead-letter-routing-key") String deadLetterRoutingKey,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.dead-letter-queue-name") String deadLetterQueue,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.dead-letter-queue-type") String deadLetterQueueType) {
        this.broker = broker;
        this.tasksQueue = tasksQueue;
        this.tasksQueueType = tasksQueueType;
        this.deadLetterExchange = deadLetterExchange;
        this.deadLetterRoutingKey = deadLetterRoutingKey;
        this.deadLetterQueue = deadLetterQueue;
        this.deadLetterQueueType = deadLetterQueueType;
    }

    /**
     * Decides both before the messaging channels start (Quarkus starts them at priority 1000), so the connector,
     * which asks on an event-loop thread, finds the answers ready instead of waiting there for the broker.
     */
    void decideEarly(@Observes @Priority(BEFORE_MESSAGING) StartupEvent start) {
        tasksQueueArguments();
        deadLetterQueueArguments();
    }

    /** Extra arguments of the task queue; the connector adds its type and dead-letter exchange. */
    @Produces
    @Identifier("taskcenter-tasks-queue")
    Map<String, Object> tasksQueueArguments() {
        return limitFor(tasksQueue, Map.of(QUEUE_TYPE, tasksQueueType,
                "x-dead-letter-exchange", deadLetterExchange,
                "x-dead-letter-routing-key", deadLetterRoutingKey), TASKS);
    }

    /** Extra arguments of the dead-letter queue; the connector adds its type. */
    @Produces
    @Identifier("taskcenter-dead-letter-queue")
    Map<String, Object> deadLetterQueueArguments() {
        return limitFor(deadLetterQueue, Map.of(QUEUE_TYPE, deadLetterQueueType), DEAD_LETTERS);
    }

    /**
     * {@code x-delivery-limit: limit}, unless {@code queue} exists without one. Found out by declaring it with the
     * connector's own arguments, with the limit and then without: the first creates a missing queue exactly as
     * the connector would; only a queue declared before, without a limit, refuses the first and takes the second.
     */
    Map<String, Object> limitFor(String queue, Map<String, Object> connectorArguments, int limit) {
        Map<String, Object> known = settled.get(queue);
        if (known != null) {
            return known;
        }
        Map<String, Object> withLimit = Map.of(LIMIT, limit);
        Map<String, Object> limited = new HashMap<>(connectorArguments);
        limited.putAll(withLimit);
        Map<String, Object> decided;
        try {
            if (declares(queue, limited) || !declares(queue, connectorArguments)) {
                // Declared with the limit, or it differs in more than that: the connector's declare says how.
                decided = withLimit;
            } else {
                Log.warnf("Queue %s was declared without %s, and queue arguments cannot change: on RabbitMQ 4.x the"
                        + " broker's default limit (20 returns) applies to it (3.x has none). Set one with a policy:"
                        + " rabbitmqctl set_policy taskcenter-%s '^%s$' '{\"delivery-limit\":%d}'"
                        + " --apply-to quorum_queues", queue, LIMIT, queue, queue.replace(".", "\\."), limit);
                decided = Map.of();
            }
        } catch (BrokerUnavailableException e) {
            // The connector cannot declare either; it asks again once the broker is back.
            return withLimit;
        }
        settled.put(queue, decided);
        return decided;
    }

    /** Whether the broker takes this declaration: false when the queue exists with other arguments. */
    private boolean declares(String queue, Map<String, Object> arguments) throws BrokerUnavailableException {
        return broker.withChannel(channel -> {
            try {
                channel.queueDeclare(queue, true, false, false, arguments);
                return true;
            } catch (IOException refused) {
                if (ChannelRefusal.is(refused, AMQP.PRECONDITION_FAILED)) {
                    return false;
                }
                throw refused;
            }
        });
    }
}
