package io.taskcenter.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.support.Broker;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.V1Worker;

/**
 * Waiting rooms on the real broker, one replica: a backlog of one type waits in its room, not in memory, so an
 * idle worker of another type gets its task at once; the backlog is then taken slot by slot; and what is
 * stranded in a room when the last eligible worker leaves meets the no-worker rule.
 */
@QuarkusTest
class WaitingRoomsTest extends QuarkusBrokerTest {

    private static final Duration SOON = Duration.ofSeconds(1);

    @Inject
    WaitingRooms rooms;

    @Test
    void aSlowTypeDoesNotStarveAnIdleWorkerOfAnotherTypeAndItsBacklogWaitsInItsRoom() throws Exception {
        V1Worker slow = fleet.connectV1("1", 1, 1);
        V1Worker idle = fleet.connectV1("2", 1, 2);
        long forwarded = rooms.forwardedCount();
        for (int i = 0; i < 400; i++) {
            broker.publish(task("backlog-" + i, 1));
        }
        JsonNode first = slow.nextTask();

        long published = System.nanoTime();
        broker.publish(task("urgent", 2));
        JsonNode urgent = idle.next(SOON);
        assertThat(Duration.ofNanos(System.nanoTime() - published)).as("the type-2 task's wait").isLessThan(SOON);
        assertThat(urgent.path("taskName").asText()).isEqualTo("urgent");
        idle.done(urgent);

        // 1 held by the worker and 1 at hand for its slot (the room's prefetch is the worker's capacity); the other
        // 398 wait in the broker, not in this service.
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.ready(broker.room("1")) == 398
                && dispatcher.waiting() == 1);
        assertThat(rooms.forwardedCount() - forwarded).as("398, and the 1 from the shared queue that waited here").isEqualTo(399);

        Set<String> done = new HashSet<>();
        JsonNode task = first;
        for (int i = 0; i < 400; i++) {
            assertThat(done.add(task.path("taskName").asText())).as("each task once").isTrue();
            slow.done(task);
            if (i < 399) {
                task = slow.nextTask();
            }
        }
        assertThat(done).hasSize(400);
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.inFlight() == 0);
        assertThat(broker.ready(broker.room("1"))).isZero();
        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
        assertThat(slow.poll(Duration.ofMillis(200))).as("nothing more").isNull();
    }

    @Test
    void aSeedWorkerTakesItsBacklogFromTheRoomAsFastAsItsSlotFrees() throws Exception {
        TestWorker seed = fleet.connect("3");
        for (int i = 0; i < 200; i++) {
            broker.publish(task("seed-" + i, 1));
        }

        Set<String> received = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String frame = seed.poll(TestWorker.TIMEOUT);
            assertThat(frame).as("task " + i + " of 200").isNotNull();
            received.add(frame);
        }

        assertThat(received).hasSize(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.ready(broker.room("1")) == 0
                && broker.ready(broker.queue()) == 0);
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
    }

    @Test
    void tasksStrandedInARoomWhenTheLastEligibleWorkerLeavesMeetTheNoWorkerRule() throws Exception {
        V1Worker only = fleet.connectV1("1", 1, 1);
        long returned = rooms.returnedCount();
        for (int i = 0; i < 4; i++) {
            broker.publish(task("stranded-" + i, 1));
        }
        only.nextTask();
        // 1 held, 1 from the room at hand for its slot, 2 left in the room.
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.ready(broker.room("1")) == 2);

        only.close();

        // Back to the task queue after worker-wait (1 s here), requeued once, then dead-lettered.
        List<GetResponse> dead = awaitDeadLetters(4);
        assertThat(dead).extracting(Broker::body).allSatisfy(body -> assertThat(body).contains("stranded-"));
        assertThat(broker.ready(broker.room("1"))).isZero();
        // The 2 in the room, the 1 at hand put back there, and a task parked on an answer given just before the
        // worker left.
        assertThat(rooms.returnedCount() - returned).isBetween(2L, 4L);
    }

    private List<GetResponse> awaitDeadLetters(int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> broker.ready(broker.deadLetterQueue()) == count);
        return broker.takeAll(broker.deadLetterQueue());
    }
}
