package io.taskcenter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.taskcenter.messaging.DeliveryFixture;
import io.taskcenter.registry.TaskTypes;
import io.taskcenter.registry.Worker;

class WorkerSelectorTest {

    private final WorkerSelector selector = new WorkerSelector();

    @Test
    void picksTheWorkerUsingTheSmallestShareOfItsCapacity() {
        WorkerSlots big = slots("big", 10, 3);
        WorkerSlots small = slots("small", 2, 1);

        // 3 of 10 is less busy than 1 of 2.
        assertThat(selector.select(List.of(small, big), "t")).isSameAs(big);
    }

    @Test
    void equallyBusyWorkersTakeTurns() {
        List<WorkerSlots> idle = List.of(slots("a", 1, 0), slots("b", 1, 0), slots("c", 1, 0));

        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(selector.select(idle, "t" + i).worker.id());
        }

        assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void skipsFullWorkersAndOnesHoldingATaskWithTheSameId() {
        WorkerSlots full = slots("full", 1, 1);
        WorkerSlots holder = slots("holder", 5, 0);
        holder.hold(assignment("same-id", holder));

        assertThat(selector.select(List.of(full, holder), "same-id")).isNull();
        assertThat(selector.select(List.of(full, holder), "other-id")).isSameAs(holder);
    }

    @Test
    void aWorkerATaskExpiredOnGetsItBackOnlyIfNoOtherCan() {
        WorkerSlots stuck = slots("stuck", 1, 0);
        stuck.hold(assignment("late", stuck));
        stuck.expire(stuck.get("late"));
        WorkerSlots busy = slots("busy", 4, 3);

        assertThat(selector.select(List.of(stuck, busy), "late")).isSameAs(busy);
        assertThat(selector.select(List.of(stuck), "late")).isSameAs(stuck);
    }

    private static Assignment assignment(String taskId, WorkerSlots holder) {
        return new Assignment(DeliveryFixture.delivery(taskId), null, holder, 0, 0);
    }

    private static WorkerSlots slots(String id, int capacity, int held) {
        WorkerSlots slots = new WorkerSlots(new Worker(id, Worker.Protocol.V1, TaskTypes.of(Set.of(1)), capacity, null));
        for (int i = 0; i < held; i++) {
            slots.hold(assignment(id + "-held-" + i, slots));
        }
        return slots;
    }
}
