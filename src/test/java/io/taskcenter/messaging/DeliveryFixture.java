package io.taskcenter.messaging;

import java.nio.charset.StandardCharsets;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BasicProperties;
import com.rabbitmq.client.Envelope;

import io.smallrye.reactive.messaging.rabbitmq.ClientHolder;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.rabbitmq.RabbitMQMessage;

/**
 * Deliveries for tests of the dispatch logic alone, which only read a delivery's id and attempt. Settling one
 * would need a broker: tests that settle use the real one.
 */
public final class DeliveryFixture {

    private static final String CONSUMER = "fixture";
    private static final LiveConsumers LIVE = new LiveConsumers();

    private DeliveryFixture() {
    }

    public static Delivery delivery(String messageId) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(messageId).build();
        RabbitMQMessage message = new FixedMessage("{}", new Envelope(1, false, "tasks", "test"), properties);
        IncomingRabbitMQMessage<?> incoming = new IncomingRabbitMQMessage<>(
                new io.vertx.mutiny.rabbitmq.RabbitMQMessage(message), new ClientHolder(null, null, null, null),
                null, null, null);
        // No stats: a fixture delivery is never settled.
        return new QueueDelivery(incoming, LIVE, null);
    }

    private record FixedMessage(String text, Envelope envelope, BasicProperties properties) implements RabbitMQMessage {

        @Override
        public Buffer body() {
            return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String consumerTag() {
            return CONSUMER;
        }

        @Override
        public Integer messageCount() {
            return null;
        }
    }
}
