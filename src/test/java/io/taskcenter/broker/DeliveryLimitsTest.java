package io.taskcenter.broker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.eclipse.microprofile.config.ConfigProvider;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The delivery limit the service's queues are declared with, against the real broker: set on a queue it
 * creates, and left off (so the service still starts) on a queue declared before it without one.
 */
@QuarkusTest
class DeliveryLimitsTest {

    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

    @Inject
    DeliveryLimits limits;

    @Inject
    BrokerClient broker;

    private final String queue = "test.limits." + UUID.randomUUID();

    @AfterEach
    void deleteQueue() throws Exception {
        broker.withChannel(channel -> channel.queueDelete(queue));
    }

    @Test
    void aQueueItCreatesGetsTheLimitAndHoldsAMessageThroughManyReturns() throws Exception {
        assertThat(limits.limitFor(queue, QUORUM, 25)).containsEntry(DeliveryLimits.LIMIT, 25);

        int returns = broker.withChannel(channel -> {
            channel.confirmSelect();
            channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, "kept".getBytes());
            channel.waitForConfirmsOrDie(5_000);
            int returned = 0;
            // More than 4.x's default limit of 20, fewer than this queue's.
            while (returned < 24) {
                GetResponse message = channel.basicGet(queue, false);
                if (message == null) {
                    break;
                }
                channel.basicNack(message.getEnvelope().getDeliveryTag(), false, true);
                returned++;
            }
            return returned;
        });

        assertThat(returns).isEqualTo(24);
        // A quorum queue counts a returned message as ready a moment after the nack, not at once.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.withChannel(channel -> channel.messageCount(queue)) == 1);
    }

    @Test
    void aTaskTheBrokerDeadLettersAtTheLimitSaysSoOnTheDeadLetterPage() throws Exception {
        Map<String, Object> likeTheTaskQueue = Map.of("x-queue-type", "quorum",
                "x-dead-letter-exchange", config("dead-letter-exchange"),
                "x-dead-letter-routing-key", config("dead-letter-routing-key"));
        assertThat(limits.limitFor(queue, likeTheTaskQueue, 2)).containsEntry(DeliveryLimits.LIMIT, 2);
        String deadLetterQueue = config("dead-letter-queue-name");
        broker.withChannel(channel -> {
            channel.queuePurge(deadLetterQueue);
            channel.confirmSelect();
            channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().messageId("crashes-the-service")
                    .deliveryMode(2).build(), "{}".getBytes());
            channel.waitForConfirmsOrDie(5_000);
            // What a service that dies holding the task each time looks like to the broker.
            for (GetResponse message = channel.basicGet(queue, false); message != null;
                    message = channel.basicGet(queue, false)) {
                channel.basicNack(message.getEnvelope().getDeliveryTag(), false, true);
            }
            return null;
        });

        await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.withChannel(channel -> channel.messageCount(deadLetterQueue)) == 1);
        given().when().get("/api/dead-letters").then().statusCode(200)
                .body("items[0].messageId", equalTo("crashes-the-service"))
                .body("items[0].reason", equalTo("delivery-limit"))
                .body("items[0].brokerReason", equalTo("delivery_limit"));
        broker.withChannel(channel -> channel.queuePurge(deadLetterQueue));
    }

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue("mp.messaging.incoming.tasks." + key, String.class);
    }

    @Test
    void aQueueDeclaredBeforeWithoutALimitIsDeclaredAsItIs() throws Exception {
        broker.withChannel(channel -> channel.queueDeclare(queue, true, false, false, QUORUM));

        assertThat(limits.limitFor(queue, QUORUM, 25)).isEmpty();
        // What the connector then declares matches the queue, so it consumes as before.
        broker.withChannel(channel -> channel.queueDeclare(queue, true, false, false, QUORUM));
    }

    @Test
    void aQueueThatDiffersInAnotherArgumentIsLeftForTheConnectorToReport() throws Exception {
        broker.withChannel(channel -> channel.queueDeclare(queue, true, false, false, QUORUM));

        assertThat(limits.limitFor(queue, Map.of("x-queue-type", "quorum", "x-max-length", 10), 25))
                .containsEntry(DeliveryLimits.LIMIT, 25);
    }
}
