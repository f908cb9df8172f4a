package io.taskcenter.broker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.AMQP;

import io.taskcenter.dispatch.TaskClass;
import io.taskcenter.registry.WorkerPolicy;

/**
 * How many messages wait in the service's queues, as RabbitMQ counts them (a passive declare per queue, which
 * changes nothing). RabbitMQ tells AMQP clients the ready messages and the consumers only; messages delivered and
 * not yet acked are counted by its management API, which the service does not need.
 */
@ApplicationScoped
public class QueueDepths {

    /**
     * One queue's depth: {@code ready} messages waiting for a consumer, and its {@code consumers}.
     *
     * @param role what the queue is for: {@code tasks}, {@code room} (a waiting room) or {@code dead-letters}
     */
    public record Depth(String role, String queue, long ready, long consumers) {
    }

    private record Named(String role, String queue) {
    }

    private final BrokerClient broker;
    private final List<Named> queues;

    QueueDepths(BrokerClient broker, WorkerPolicy policy,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.queue.name") String tasks,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.dead-letter-queue-name") String deadLetters) {
        this.broker = broker;
        List<Named> named = new ArrayList<>();
        named.add(new Named("tasks", tasks));
        RoomNames rooms = new RoomNames(tasks);
        TaskClass.all(policy.namedTypes()).forEach(taskClass -> named.add(new Named("room", rooms.queue(taskClass))));
        named.add(new Named("dead-letters", deadLetters));
        this.queues = List.copyOf(named);
    }

    /**
     * The task queue first, then the waiting rooms, then the dead-letter queue. A queue that does not exist (yet)
     * is left out.
     */
    public List<Depth> read() throws BrokerUnavailableException {
        List<Depth> depths = new ArrayList<>(queues.size());
        for (Named queue : queues) {
            // One channel per queue: a passive declare of a missing queue closes its channel.
            broker.withChannel(channel -> {
                try {
                    AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue.queue());
                    depths.add(new Depth(queue.role(), queue.queue(), ok.getMessageCount(), ok.getConsumerCount()));
                } catch (IOException e) {
                    // 404: no such queue. Anything else is a real failure.
                    if (!ChannelRefusal.is(e, AMQP.NOT_FOUND)) {
                        throw e;
                    }
                }
                return null;
            });
        }
        return depths;
    }
}
