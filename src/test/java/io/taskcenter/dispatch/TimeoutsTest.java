package io.taskcenter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.TcpProxy;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.V1Worker;

/**
 * Work held by a worker that stops answering comes back within the configured time: on a missed deadline,
 * and on a silent socket. Timeouts are shortened here so the test runs in seconds.
 */
@QuarkusTest
@TestProfile(TimeoutsTest.ShortTimeouts.class)
class TimeoutsTest extends QuarkusBrokerTest {

    static final Duration TASK_TIMEOUT = Duration.ofMillis(2500);
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofMillis(1000);

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "taskcenter.dispatch.task-timeout", TASK_TIMEOUT.toMillis() + "ms",
                    "taskcenter.heartbeat.interval", "200ms",
                    "taskcenter.heartbeat.timeout", HEARTBEAT_TIMEOUT.toMillis() + "ms");
        }
    }

    @Test
    void aTaskPastItsDeadlineGoesToAnotherWorkerAndALateDoneIsRefused() throws Exception {
        V1Worker stuck = fleet.connectV1("1", 1, 1);
        broker.publish(task("long", 1), new AMQP.BasicProperties.Builder().messageId("d-1").build());
        JsonNode task = stuck.nextTask();
        V1Worker other = fleet.connectV1("3", 1, 1);
        long sent = System.nanoTime();

        JsonNode again = other.nextTask();
        Duration waited = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(again.get("taskId").asText()).isEqualTo("d-1");
        assertThat(again.get("attempt").asInt()).isEqualTo(2);
        assertThat(waited).isLessThan(TASK_TIMEOUT.plusSeconds(2));

        stuck.done(task);
        JsonNode refused = stuck.next(TestWorker.TIMEOUT);
        assertThat(refused.get("type").asText()).isEqualTo("error");
        assertThat(refused.get("code").asText()).isEqualTo("expired-task");
        assertThat(refused.get("taskId").asText()).isEqualTo("d-1");
        other.done(again);
    }

    @Test
    void progressKeepsATaskWithItsWorkerPastTheTimeout() throws Exception {
        V1Worker holder = fleet.connectV1("1", 1, 1);
        broker.publish(task("report", 1));
        JsonNode task = holder.nextTask();
        V1Worker idle = fleet.connectV1("3", 1, 1);

        // Past the timeout, with progress every third of one: the rule is DispatchCoreTest's, this is the wiring.
        for (int i = 0; i < 4; i++) {
            holder.progress(task);
            assertThat(idle.poll(TASK_TIMEOUT.dividedBy(3))).isNull();
        }
        holder.done(task);
        assertThat(holder.poll(Duration.ofMillis(300))).as("no error for the done").isNull();
    }

    @Test
    void aSilentWorkerIsClosedAndItsTasksComeBackWithinTheHeartbeatTimeout() throws Exception {
        try (TcpProxy network = new TcpProxy("127.0.0.1", push.getPort()).start()) {
            URI viaNetwork = URI.create("ws://127.0.0.1:" + network.port() + "/push");
            V1Worker silent = fleet.connectV1(viaNetwork, "1", 2, 1);
            broker.publish(task("one", 1));
            broker.publish(task("two", 1));
            silent.nextTask();
            silent.nextTask();
            V1Worker healthy = fleet.connectV1("3", 2, 1);

            network.freeze();
            long frozen = System.nanoTime();

            JsonNode first = healthy.nextTask();
            JsonNode second = healthy.nextTask();
            Duration back = Duration.ofNanos(System.nanoTime() - frozen);
            assertThat(first.get("attempt").asInt()).isEqualTo(2);
            assertThat(second.get("attempt").asInt()).isEqualTo(2);
            // Back through the heartbeat, which takes the silent worker offline (a deadline would leave it online),
            // within its timeout plus the ping interval and some slack for a busy machine.
            assertThat(registry.find("1")).isEmpty();
            assertThat(back).isLessThan(HEARTBEAT_TIMEOUT.plusSeconds(3));
            healthy.done(first).done(second);
        }
    }

    @Test
    void aWorkerThatAnswersPingsStaysOnlineThoughItSendsNothing() throws Exception {
        V1Worker quiet = fleet.connectV1("1", 1, 1);

        assertThat(quiet.poll(HEARTBEAT_TIMEOUT.multipliedBy(3))).isNull();

        assertThat(quiet.socket().isClosed()).isFalse();
        assertThat(registry.find("1")).isPresent();
    }
}
