package io.taskcenter.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.dispatch.Protocol;
import io.taskcenter.dispatch.Worker;
import io.taskcenter.registry.WorkerPolicy;
import io.taskcenter.support.Broker;
import io.taskcenter.support.DeadSocket;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.TestWorker;

/**
 * How each task message is settled on the real broker: acked once handed over, requeued once and then
 * dead-lettered when nobody takes it, dead-lettered at once when it is not a task.
 */
@QuarkusTest
class SettlementTest extends QuarkusBrokerTest {

    private static final Duration SETTLED = Duration.ofSeconds(15);

    @Inject
    WorkerPolicy policy;

    DeadSocket deadSocket;

    /** Runs before the base class waits for nobody to be online. */
    @AfterEach
    void takeDeadWorkerOffline() {
        if (deadSocket != null) {
            dispatcher.leave(deadSocket);
        }
    }

    @Test
    void requeuesOnceThenDeadLettersWhenNoWorkerTakesTheType() {
        broker.publish("{\"TaskName\":\"lonely\",\"TaskType\":1}");

        GetResponse dead = awaitDeadLetters(1).get(0);
        assertThat(Broker.body(dead)).isEqualTo("{\"TaskName\":\"lonely\",\"TaskType\":1}");
        assertThat(deathOf(dead)).containsEntry("reason", "rejected").containsEntry("queue", broker.queue());
        assertThat(broker.ready(broker.queue())).isZero();
    }

    @Test
    void neverAcksATaskWhoseWriteFailedButRequeuesThenDeadLettersIt() {
        DeadSocket socket = registerDeadWorker("1");
        long requeued = stats.requeuedCount();

        broker.publish("{\"TaskName\":\"unsent\",\"TaskType\":1}");

        GetResponse dead = awaitDeadLetters(1).get(0);
        assertThat(Broker.body(dead)).contains("unsent");
        // The failed write takes the socket out of the rotation; the task waited, was requeued once, then
        // dead-lettered.
        assertThat(socket.writes()).isEqualTo(1);
        assertThat(stats.requeuedCount()).isEqualTo(requeued + 1);
    }

    @Test
    void skipsADeadSocketAndHandsTheTaskToTheNextEligibleWorker() throws Exception {
        DeadSocket socket = registerDeadWorker("1");
        TestWorker three = fleet.connect("3");

        for (int i = 0; i < 4; i++) {
            broker.publish("{\"TaskName\":\"rescued-" + i + "\",\"TaskType\":1}");
        }

        for (int i = 0; i < 4; i++) {
            assertThat(three.poll(TestWorker.TIMEOUT)).startsWith("rescued-");
        }
        assertThat(socket.writes()).as("turns that started at the dead socket").isPositive();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
        assertThat(broker.ready(broker.queue())).isZero();
    }

    @Test
    void deadLettersMalformedTasksAtOnceAndKeepsDispatching() throws Exception {
        TestWorker one = fleet.connect("1");
        List<String> malformed = List.of(
                "not json",
                "",
                "[1,2]",
                "{\"TaskName\":\"no type\"}",
                "{\"TaskType\":1}",
                "{\"TaskName\":\"string type\",\"TaskType\":\"1\"}",
                "{\"TaskName\":\"fraction\",\"TaskType\":1.5}",
                "{\"TaskName\":\"   \",\"TaskType\":1}",
                "{\"TaskName\":\"twice\",\"taskName\":\"twice\",\"TaskType\":1}",
                "{\"TaskName\":\"trailing\",\"TaskType\":1} junk");

        malformed.forEach(broker::publish);
        broker.publish("{\"TaskName\":\"valid\",\"TaskType\":1}");

        assertThat(one.poll(TestWorker.TIMEOUT)).isEqualTo("valid");
        List<GetResponse> dead = awaitDeadLetters(malformed.size());
        assertThat(dead).extracting(Broker::body).containsExactlyInAnyOrderElementsOf(malformed);
        // Dead-lettered on the first delivery, by the service itself, saying why: no requeue loop.
        assertThat(dead).allSatisfy(message -> assertThat(message.getProps().getHeaders())
                .containsEntry(TaskHeaders.REASON, longString("invalid-task"))
                .containsEntry(TaskHeaders.ATTEMPT, 1)
                .doesNotContainKey("x-death"));
    }

    private DeadSocket registerDeadWorker(String id) {
        deadSocket = new DeadSocket(id);
        dispatcher.join(new Worker(id, Protocol.SEED, policy.typesFor(id).orElseThrow(), 1, deadSocket, Instant.now()));
        return deadSocket;
    }

    private List<GetResponse> awaitDeadLetters(int count) {
        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) >= count);
        List<GetResponse> dead = broker.takeAll(broker.deadLetterQueue());
        assertThat(dead).hasSize(count);
        return dead;
    }

    private static com.rabbitmq.client.LongString longString(String text) {
        return com.rabbitmq.client.impl.LongStringHelper.asLongString(text);
    }

    /** The broker's record of why it dead-lettered {@code message}, with string values as strings. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> deathOf(GetResponse message) {
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) message.getProps().getHeaders().get("x-death");
        assertThat(deaths).as("x-death header").hasSize(1);
        Map<String, Object> death = new HashMap<>();
        deaths.get(0).forEach((key, value) -> death.put(key, value instanceof Long ? value : String.valueOf(value)));
        return death;
    }
}
