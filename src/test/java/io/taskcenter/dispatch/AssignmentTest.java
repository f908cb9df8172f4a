package io.taskcenter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.V1Worker;

/**
 * The wiring of assignment against the real broker: capacity under concurrent load, a worker arriving within the
 * worker-wait, seed and v1 workers side by side. The rules themselves are DispatchCoreTest's.
 */
@QuarkusTest
class AssignmentTest extends QuarkusBrokerTest {

    private static final Duration QUIET = Duration.ofMillis(500);

    @Test
    void neverGivesAWorkerMoreTasksThanItsCapacityUnderLoad() throws Exception {
        Map<String, V1Worker> workers = new HashMap<>();
        workers.put("1", fleet.connectV1("1", 3, 1));
        workers.put("3", fleet.connectV1("3", 2, 1));
        Map<String, AtomicInteger> maxHeld = new ConcurrentHashMap<>();
        int tasks = 200;

        for (int i = 0; i < tasks; i++) {
            broker.publish(task("load-" + i, 1));
        }
        int completed = 0;
        Map<String, List<JsonNode>> held = new HashMap<>();
        workers.keySet().forEach(id -> held.put(id, new ArrayList<>()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (completed < tasks && System.nanoTime() < deadline) {
            for (Map.Entry<String, V1Worker> entry : workers.entrySet()) {
                List<JsonNode> mine = held.get(entry.getKey());
                JsonNode frame;
                while ((frame = entry.getValue().poll(Duration.ofMillis(5))) != null) {
                    assertThat(frame.get("type").asText()).isEqualTo("task");
                    mine.add(frame);
                }
                maxHeld.computeIfAbsent(entry.getKey(), id -> new AtomicInteger()).accumulateAndGet(mine.size(), Math::max);
                // Finish a random share of what is held, so slots free up at uneven times.
                for (int n = ThreadLocalRandom.current().nextInt(mine.size() + 1); n > 0; n--) {
                    entry.getValue().done(mine.remove(0));
                    completed++;
                }
            }
        }

        assertThat(completed).isEqualTo(tasks);
        assertThat(maxHeld.get("1").get()).isLessThanOrEqualTo(3);
        assertThat(maxHeld.get("3").get()).isLessThanOrEqualTo(2);
        await().atMost(TestWorker.TIMEOUT).until(() -> dispatcher.inFlight() == 0);
        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
    }

    @Test
    void aWorkerThatComesOnlineWithinTheWorkerWaitGetsTheTask() throws Exception {
        long requeued = stats.requeuedCount();
        broker.publish(task("patient", 1));
        await().atMost(TestWorker.TIMEOUT).until(() -> dispatcher.waiting() == 1);

        V1Worker late = fleet.connectV1("3", 1, 1);

        JsonNode task = late.nextTask();
        assertThat(task.get("taskName").asText()).isEqualTo("patient");
        assertThat(task.get("attempt").asInt()).isEqualTo(1);
        assertThat(stats.requeuedCount()).isEqualTo(requeued);
        late.done(task);
    }

    @Test
    void seedWorkersCountAsCapacityOneAndStillShareWithV1Workers() throws Exception {
        TestWorker seed = fleet.connect("1");
        V1Worker v1 = fleet.connectV1("3", 1, 1);

        broker.publish(task("x", 1));
        broker.publish(task("y", 1));

        JsonNode toV1 = v1.nextTask();
        String toSeed = seed.poll(TestWorker.TIMEOUT);
        assertThat(List.of(toSeed, toV1.get("taskName").asText())).containsExactlyInAnyOrder("x", "y");
        v1.done(toV1);
    }
}
