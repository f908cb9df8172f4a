package io.taskcenter.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.LongStringHelper;

import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.messaging.DeadLetterReason;
import io.taskcenter.support.Broker;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.V1Worker;

/**
 * How v1 reports settle tasks on the real broker: ack on done, requeue on a lost worker or a retryable
 * failure, dead letter on a final failure, and the outcome sent to reply_to.
 */
@QuarkusTest
class V1SettlementTest extends QuarkusBrokerTest {

    private static final Duration SETTLED = Duration.ofSeconds(10);

    @Test
    void acksOnlyWhenTheWorkerReportsDone() throws Exception {
        V1Worker worker = fleet.connectV1("1", 1, 1);
        long acked = stats.ackedCount();

        broker.publish(task("slow", 1));
        JsonNode task = worker.nextTask();

        // Written, but not done: the message stays unacked, held by the service, not ready in the queue.
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> stats.ackedCount() == acked && broker.ready(broker.queue()) == 0);
        worker.done(task);
        await().atMost(SETTLED).until(() -> stats.ackedCount() == acked + 1);
        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
    }

    @Test
    void theTaskOfAWorkerThatDisconnectsMidTaskGoesToAnotherWorkerWithAttemptTwo() throws Exception {
        V1Worker first = fleet.connectV1("1", 1, 1);
        broker.publish(task("survivor", 1), new AMQP.BasicProperties.Builder().messageId("m-1").build());
        JsonNode held = first.nextTask();
        assertThat(held.get("attempt").asInt()).isEqualTo(1);
        V1Worker second = fleet.connectV1("3", 1, 1);

        first.close();

        JsonNode again = second.nextTask();
        assertThat(again.get("taskId").asText()).isEqualTo("m-1");
        assertThat(again.get("attempt").asInt()).isEqualTo(2);
        second.done(again);
        await().atMost(SETTLED).until(() -> broker.ready(broker.queue()) == 0);
    }

    @Test
    void aRetryableFailureIsRetriedUntilTheAttemptLimitThenDeadLettered() throws Exception {
        V1Worker worker = fleet.connectV1("1", 1, 1);
        long exhausted = stats.deadLetteredCount(DeadLetterReason.ATTEMPTS_EXHAUSTED);
        broker.publish(task("flaky", 1));

        List<Integer> attempts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonNode task = worker.nextTask();
            attempts.add(task.get("attempt").asInt());
            worker.failed(task, "database unavailable", true);
        }

        // max-attempts is 5: the fifth failure is the last. Counted by the service, so the same on every broker.
        assertThat(attempts).containsExactly(1, 2, 3, 4, 5);
        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) == 1);
        GetResponse dead = broker.take(broker.deadLetterQueue());
        assertThat(Broker.body(dead)).isEqualTo(task("flaky", 1));
        assertThat(dead.getProps().getHeaders())
                .containsEntry(TaskHeaders.ATTEMPT, 5)
                .as("the retries went through the default exchange; the first routing key is kept")
                .containsEntry(TaskHeaders.ROUTING_KEY, LongStringHelper.asLongString("test.task"));
        assertThat(stats.deadLetteredCount(DeadLetterReason.ATTEMPTS_EXHAUSTED)).isEqualTo(exhausted + 1);
        assertThat(worker.poll(Duration.ofMillis(300))).isNull();
    }

    @Test
    void aFailureWithoutRetryIsDeadLetteredAtOnce() throws Exception {
        V1Worker worker = fleet.connectV1("1", 1, 1);
        long failed = stats.deadLetteredCount(DeadLetterReason.FAILED);
        broker.publish(task("hopeless", 1));

        worker.failed(worker.nextTask(), "input file is corrupt", false);

        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) == 1);
        assertThat(stats.deadLetteredCount(DeadLetterReason.FAILED)).isEqualTo(failed + 1);
        assertThat(worker.poll(Duration.ofMillis(300))).isNull();
        // The dead letter says why it died, as the worker and the service know it, not just "rejected".
        given().when().get("/api/dead-letters").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].reason", equalTo("failed"))
                .body("items[0].error", equalTo("input file is corrupt"))
                .body("items[0].workerId", equalTo("1"))
                .body("items[0].attempt", equalTo(1))
                .body("items[0].queue", equalTo(broker.queue()))
                .body("items[0].routingKey", equalTo("test.task"));
    }

    @Test
    void repliesTheResultToReplyToWithTheCorrelationId() throws Exception {
        V1Worker worker = fleet.connectV1("1", 1, 1);
        String replyQueue = broker.replyQueue();
        broker.publish(task("answer", 1), new AMQP.BasicProperties.Builder()
                .messageId("q-7").replyTo(replyQueue).correlationId("corr-7").build());

        JsonNode task = worker.nextTask();
        worker.done(task.get("taskId").asText(), V1Worker.parse("{\"answer\":42}"));

        GetResponse reply = awaitReply(replyQueue);
        assertThat(reply.getProps().getCorrelationId()).isEqualTo("corr-7");
        assertThat(reply.getProps().getContentType()).isEqualTo("application/json");
        assertThat(V1Worker.parse(Broker.body(reply)))
                .isEqualTo(V1Worker.parse("{\"taskId\":\"q-7\",\"status\":\"done\",\"result\":{\"answer\":42}}"));
    }

    @Test
    void repliesTheFailureWhenATaskFailsForGood() throws Exception {
        V1Worker worker = fleet.connectV1("1", 1, 1);
        String replyQueue = broker.replyQueue();
        broker.publish(task("doomed", 1), new AMQP.BasicProperties.Builder()
                .messageId("q-8").replyTo(replyQueue).correlationId("corr-8").build());

        worker.failed(worker.nextTask(), "no such customer", false);

        GetResponse reply = awaitReply(replyQueue);
        assertThat(reply.getProps().getCorrelationId()).isEqualTo("corr-8");
        assertThat(V1Worker.parse(Broker.body(reply))).isEqualTo(V1Worker.parse(
                "{\"taskId\":\"q-8\",\"status\":\"failed\",\"error\":\"no such customer\",\"attempt\":1}"));
        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) == 1);
    }

    private static GetResponse awaitReply(String queue) {
        List<GetResponse> replies = new ArrayList<>();
        await().atMost(SETTLED).until(() -> {
            GetResponse reply = broker.take(queue);
            if (reply != null) {
                replies.add(reply);
            }
            return !replies.isEmpty();
        });
        assertThat(broker.take(queue)).as("a second reply").isNull();
        return replies.get(0);
    }
}
