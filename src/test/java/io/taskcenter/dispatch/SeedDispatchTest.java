package io.taskcenter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.TestWorker;

/**
 * Tasks published to RabbitMQ reach the right seed workers, in the seed's text format.
 */
@QuarkusTest
class SeedDispatchTest extends QuarkusBrokerTest {

    /** Long enough to be sure a frame is not coming, short enough to keep the suite fast. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @Test
    void dispatchesTypeOneTasksByNameOnlyToWorkersOneAndThree() throws Exception {
        TestWorker one = fleet.connect("1");
        TestWorker two = fleet.connect("2");
        TestWorker three = fleet.connect("3");
        TestWorker four = fleet.connect("4");

        for (int i = 0; i < 6; i++) {
            broker.publish("{\"TaskName\":\"plain-" + i + "\",\"TaskType\":1}");
        }

        assertThat(all(receive(6, one, three))).containsExactlyInAnyOrder("plain-0", "plain-1", "plain-2", "plain-3", "plain-4", "plain-5");
        assertThat(two.poll(QUIET)).isNull();
        assertThat(four.poll(QUIET)).isNull();
    }

    @Test
    void dispatchesEveryOtherTypeWithTheSpecialPrefixOnlyToWorkersTwoAndFour() throws Exception {
        TestWorker one = fleet.connect("1");
        TestWorker two = fleet.connect("2");
        TestWorker three = fleet.connect("3");
        TestWorker four = fleet.connect("4");

        broker.publish("{\"TaskName\":\"report\",\"TaskType\":2}");
        broker.publish("{\"TaskName\":\"export\",\"TaskType\":7}");
        broker.publish("{\"TaskName\":\"negative\",\"TaskType\":-3}");

        assertThat(all(receive(3, two, four)))
                .containsExactlyInAnyOrder("Special-report", "Special-export", "Special-negative");
        assertThat(one.poll(QUIET)).isNull();
        assertThat(three.poll(QUIET)).isNull();
    }

    @Test
    void acceptsCamelCaseKeysLikePascalCase() throws Exception {
        TestWorker one = fleet.connect("1");
        TestWorker two = fleet.connect("2");

        broker.publish("{\"taskName\":\"camel\",\"taskType\":1}");
        broker.publish("{\"taskName\":\"camel\",\"taskType\":5}");

        assertThat(one.poll(TestWorker.TIMEOUT)).isEqualTo("camel");
        assertThat(two.poll(TestWorker.TIMEOUT)).isEqualTo("Special-camel");
    }

    @Test
    void equallyIdleWorkersTakeTurns() throws Exception {
        TestWorker one = fleet.connect("1");
        TestWorker three = fleet.connect("3");
        long acked = stats.ackedCount();

        Map<TestWorker, List<String>> byWorker = Map.of(one, new ArrayList<>(), three, new ArrayList<>());
        for (int i = 0; i < 20; i++) {
            broker.publish(task("turn-" + i, 1));
            receive(1, one, three).forEach((worker, frames) -> byWorker.get(worker).addAll(frames));
            // Acked once its slot is free again: the next task finds both workers idle.
            long expected = acked + i + 1;
            await().atMost(TestWorker.TIMEOUT).until(() -> stats.ackedCount() == expected);
        }

        assertThat(byWorker.get(one)).hasSize(10);
        assertThat(byWorker.get(three)).hasSize(10);
    }

    /** Polls {@code workers} until {@code count} frames have arrived between them; returns who got what. */
    private static Map<TestWorker, List<String>> receive(int count, TestWorker... workers) throws InterruptedException {
        Map<TestWorker, List<String>> byWorker = new LinkedHashMap<>();
        for (TestWorker worker : workers) {
            byWorker.put(worker, new ArrayList<>());
        }
        int received = 0;
        long deadline = System.nanoTime() + TestWorker.TIMEOUT.toNanos();
        while (received < count && System.nanoTime() < deadline) {
            for (TestWorker worker : workers) {
                String frame = worker.poll(Duration.ofMillis(20));
                if (frame != null) {
                    byWorker.get(worker).add(frame);
                    received++;
                }
            }
        }
        assertThat(received).as("frames received by the eligible workers").isEqualTo(count);
        return byWorker;
    }

    private static List<String> all(Map<TestWorker, List<String>> byWorker) {
        return byWorker.values().stream().flatMap(List::stream).toList();
    }
}
