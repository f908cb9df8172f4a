package io.taskcenter.broker;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.AMQP;

/**
 * Publishes tasks to the tasks exchange as any producer would, and returns only once RabbitMQ has confirmed
 * that the task is queued.
 */
@ApplicationScoped
public class TaskPublisher {

    private final BrokerClient broker;
    private final String exchange;

    TaskPublisher(BrokerClient broker,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.exchange.name") String exchange) {
        this.broker = broker;
        this.exchange = exchange;
    }

    /**
     * @param body a task already checked by the task parser
     * @return the task id: the {@code message_id} it was published with
     */
    public String publish(String body, String routingKey) throws BrokerUnavailableException {
        String taskId = UUID.randomUUID().toString();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .messageId(taskId)
                .contentType("application/json")
                .deliveryMode(2)
                .timestamp(new Date())
                .appId("task-center-api")
                .build();
        return broker.withChannel(channel -> {
            channel.confirmSelect();
            channel.basicPublish(exchange, routingKey, properties, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(BrokerClient.TIMEOUT.toMillis());
            return taskId;
        });
    }
}
