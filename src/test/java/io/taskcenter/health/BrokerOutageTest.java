package io.taskcenter.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.registry.WorkerRegistry;
import io.taskcenter.stats.TaskStats;
import io.taskcenter.support.Broker;
import io.taskcenter.support.BrokerProxyResource;
import io.taskcenter.support.Fleet;
import io.taskcenter.support.TcpProxy;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.V1Worker;

/**
 * The service loses the broker and gets it back, without a restart: readiness goes DOWN and UP again,
 * liveness never moves, and dispatch resumes.
 */
@QuarkusTest
@WithTestResource(BrokerProxyResource.class)
class BrokerOutageTest {

    private static final Duration DETECTED = Duration.ofSeconds(20);
    private static final Duration RECOVERED = Duration.ofSeconds(30);

    @TestHTTPResource("/push")
    URI push;

    @Inject
    WorkerRegistry registry;

    @Inject
    TaskStats stats;

    @Inject
    Dispatcher dispatcher;

    TcpProxy proxy;
    Broker broker;
    Fleet fleet;

    @BeforeEach
    void start() {
        // Straight to the broker, not through the proxy the test is about to cut.
        broker = Broker.connect(proxy.targetHost(), proxy.targetPort());
        broker.purge();
        fleet = new Fleet(push, registry);
        await().atMost(RECOVERED).until(() -> status("/q/health/ready") == 200);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
        broker.close();
    }

    @Test
    void readinessFollowsTheBrokerWhileLivenessStaysUpAndDispatchResumes() throws Exception {
        proxy.cut();
        await().atMost(DETECTED).until(() -> status("/q/health/ready") == 503);
        assertThat(status("/q/health/live")).isEqualTo(200);

        proxy.restore();
        await().atMost(RECOVERED).until(() -> status("/q/health/ready") == 200);
        assertThat(status("/q/health/live")).isEqualTo(200);

        TestWorker one = fleet.connect("1");
        broker.publish("{\"TaskName\":\"after-outage\",\"TaskType\":1}");
        assertThat(one.poll(RECOVERED)).isEqualTo("after-outage");
    }

    @Test
    void anAckedTaskIsNotDeliveredAgainWhenTheConnectionDrops() throws Exception {
        TestWorker one = fleet.connect("1");
        long acked = stats.ackedCount();
        broker.publish("{\"TaskName\":\"once\",\"TaskType\":1}");
        assertThat(one.poll(TestWorker.TIMEOUT)).isEqualTo("once");
        // The ack follows the write; a cut before it reaches the broker would rightly mean a redelivery.
        await().atMost(TestWorker.TIMEOUT).until(() -> stats.ackedCount() == acked + 1);

        // Were it still unacked, the broker would requeue it when the service's channel closes.
        proxy.cut();
        await().atMost(DETECTED).until(() -> status("/q/health/ready") == 503);
        proxy.restore();
        await().atMost(RECOVERED).until(() -> status("/q/health/ready") == 200);

        assertThat(one.poll(Duration.ofSeconds(2))).isNull();
        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
    }

    @Test
    void aV1TaskHeldAcrossTheDropComesBackAndItsStaleDoneAcksNothing() throws Exception {
        V1Worker worker = fleet.connectV1("1", 1, 1);
        long acked = stats.ackedCount();
        broker.publish("{\"TaskName\":\"held\",\"TaskType\":1}",
                new AMQP.BasicProperties.Builder().messageId("h-1").build());
        JsonNode first = worker.nextTask();

        // The broker takes the unacked message back when the service's channel closes, and delivers it again.
        proxy.cut();
        await().atMost(DETECTED).until(() -> status("/q/health/ready") == 503);
        proxy.restore();
        await().atMost(RECOVERED).until(() -> status("/q/health/ready") == 200);

        // Its delivery tag belonged to the closed channel: acking it on the new one would ack another message.
        worker.done(first);
        JsonNode second = worker.nextTask();
        assertThat(second.get("taskId").asText()).isEqualTo("h-1");
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        assertThat(stats.ackedCount()).isEqualTo(acked);

        worker.done(second);
        await().atMost(TestWorker.TIMEOUT).until(() -> stats.ackedCount() == acked + 1);
        assertThat(worker.poll(Duration.ofSeconds(1))).isNull();
        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
    }

    @Test
    void theOperationsApiAnswers503WhileTheBrokerIsAwayAndWorksAgainAfter() {
        proxy.cut();
        await().atMost(DETECTED).until(() -> status("/q/health/ready") == 503);

        given().contentType(ContentType.JSON).body("{\"TaskName\":\"refused\",\"TaskType\":1}")
                .when().post("/api/tasks")
                .then().statusCode(503).contentType(ContentType.JSON)
                .header("Retry-After", "5")
                .body("status", equalTo(503))
                .body("message", startsWith("RabbitMQ is unavailable"));
        given().when().get("/api/dead-letters").then().statusCode(503).body("status", equalTo(503));
        given().when().post("/api/dead-letters/replay").then().statusCode(503).body("status", equalTo(503));

        proxy.restore();
        await().atMost(RECOVERED).until(() -> status("/q/health/ready") == 200);
        given().contentType(ContentType.JSON).body("{\"TaskName\":\"accepted\",\"TaskType\":2}")
                .when().post("/api/tasks")
                .then().statusCode(202);
        // Nobody takes type 2 here: it waits with the service, not in the queue.
        await().atMost(TestWorker.TIMEOUT).until(() -> dispatcher.waiting() == 1);
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
    }

    private static int status(String path) {
        return given().when().get(path).then().extract().statusCode();
    }
}
