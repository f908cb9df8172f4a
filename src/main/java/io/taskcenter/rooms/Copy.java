package io.taskcenter.rooms;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;

import io.taskcenter.messaging.Delivery;
import io.taskcenter.messaging.TaskHeaders;

/** The properties of a task's copy that the rooms publish: a move to a room, or back to the task queue. */
final class Copy {

    private Copy() {
    }

    /**
     * Everything a worker, a reply or a replay needs again: the task id (even a derived one), reply address,
     * correlation id, time, content type and headers, the first routing key, and the attempt the copy's next
     * delivery is.
     */
    static AMQP.BasicProperties of(Delivery delivery) {
        Map<String, Object> headers = new HashMap<>(delivery.headers());
        headers.remove(Confirms.SEQUENCE);
        headers.put(TaskHeaders.ROUTING_KEY, delivery.routingKey());
        headers.put(TaskHeaders.ATTEMPT, delivery.attempt());
        return new AMQP.BasicProperties.Builder()
                .messageId(delivery.taskId())
                .deliveryMode(2)
                .contentType(delivery.contentType().orElse("application/json"))
                .replyTo(delivery.replyTo().orElse(null))
                .correlationId(delivery.correlationId().orElse(null))
                .timestamp(delivery.timestamp().map(Date::from).orElse(null))
                .headers(headers)
                .build();
    }
}
