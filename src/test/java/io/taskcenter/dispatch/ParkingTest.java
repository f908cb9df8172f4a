package io.taskcenter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.taskcenter.dispatch.Fakes.FakeLink;
import io.taskcenter.dispatch.Fakes.FakeTask;
import io.taskcenter.task.Task;
import io.taskcenter.task.TaskTypes;

/**
 * The waiting-room rules of the core, with a fake clock: what no free slot takes is parked, beyond one task per
 * busy slot; what the shell gives back waits under the no-worker rule and is offered again.
 */
class ParkingTest {

    private static final Duration WORKER_WAIT = Duration.ofSeconds(10);
    private static final TaskClass TYPE_1 = TaskClass.of(1, Set.of(1));
    private static final TaskClass OTHER = TaskClass.of(2, Set.of(1));

    private final DispatchCore core = new DispatchCore(WORKER_WAIT, Duration.ofMinutes(5), true);
    private long now = 1_000;

    @Test
    void aTaskNoWorkerHereTakesIsParkedAtOnceAndForgottenOnceParked() {
        FakeTask task = new FakeTask("t1", 1);

        List<Effect> effects = core.submit(task, new Task("t1", 1, null), now);

        assertThat(effects).containsExactly(new Effect.Park(task, new Task("t1", 1, null)));
        assertThat(core.waiting()).isEqualTo(1);
        assertThat(core.parked(task, now)).isEmpty();
        assertThat(core.waiting()).isZero();
    }

    @Test
    void busyWorkersKeepOneTaskPerSlotHereAndTheRestIsParked() {
        Worker worker = join(v1("a", 1, TaskTypes.of(Set.of(1))));
        Effect first = single(submit("t1", 1));
        assertThat(first).isInstanceOf(Effect.Send.class);

        assertThat(submit("t2", 1)).as("the slot's next task waits here").isEmpty();
        assertThat(single(submit("t3", 1))).isInstanceOf(Effect.Park.class);

        DispatchCore.Outcome done = core.done(worker.link(), "t1", null, now);
        assertThat(done.effects()).filteredOn(Effect.Send.class::isInstance).extracting(e -> ((Effect.Send) e)
                .assignment().taskId()).containsExactly("t2");
    }

    @Test
    void aBacklogOfOneTypeDoesNotHoldUpAnIdleWorkerOfAnother() {
        join(v1("slow", 1, TaskTypes.of(Set.of(1))));
        join(v1("idle", 1, TaskTypes.otherThan(Set.of(1))));
        for (int i = 0; i < 400; i++) {
            submit("one-" + i, 1);
        }

        assertThat(single(submit("two", 2))).isInstanceOfSatisfying(Effect.Send.class,
                send -> assertThat(send.assignment().worker().id()).isEqualTo("idle"));
        assertThat(core.waiting()).as("1 next task here, 398 on their way to the room").isEqualTo(399);
    }

    @Test
    void aTaskGivenBackWaitsUnderTheNoWorkerRuleAndIsOfferedAgainMeanwhile() {
        FakeTask task = new FakeTask("t1", 1);
        core.submit(task, new Task("t1", 1, null), now);
        assertThat(core.parkRefused(task, now)).isEmpty();

        now += DispatchCore.REPARK_INTERVAL.toNanos() - 1;
        assertThat(core.tick(now)).isEmpty();
        now += 1;
        assertThat(core.tick(now)).containsExactly(new Effect.Park(task, new Task("t1", 1, null)));

        core.parkRefused(task, now);
        now += WORKER_WAIT.toNanos();
        assertThat(core.tick(now)).singleElement().isInstanceOfSatisfying(Effect.Settle.class,
                settle -> assertThat(settle.verdict()).isInstanceOf(Verdict.Unserved.class));
        assertThat(core.waiting()).isZero();
    }

    @Test
    void aTaskOnItsWayToTheRoomIsNeitherAssignedNorGivenUpOn() {
        FakeTask task = new FakeTask("t1", 1);
        core.submit(task, new Task("t1", 1, null), now);

        assertThat(core.join(v1("late", 1, TaskTypes.of(Set.of(1))), now)).hasSize(1); // Joined only
        now += WORKER_WAIT.toNanos() * 2;
        assertThat(core.tick(now)).isEmpty();

        assertThat(single(core.parkRefused(task, now))).as("given back: the worker that came meanwhile takes it")
                .isInstanceOf(Effect.Send.class);
    }

    @Test
    void aTaskGivenBackDuringShutdownGoesBackToTheQueue() {
        FakeTask task = new FakeTask("t1", 1);
        core.submit(task, new Task("t1", 1, null), now);

        assertThat(core.startDraining(now)).as("its park is still under way").isEmpty();

        assertThat(single(core.parkRefused(task, now))).isInstanceOfSatisfying(Effect.Settle.class,
                settle -> assertThat(settle.verdict()).isInstanceOf(Verdict.Returned.class));
    }

    @Test
    void theNextTaskOfAWorkerThatLeftIsParkedOnTheNextTick() {
        Worker worker = join(v1("a", 1, TaskTypes.of(Set.of(1))));
        submit("t1", 1);
        submit("t2", 1);
        core.leave(worker.link(), now);

        assertThat(core.tick(now)).singleElement().isInstanceOfSatisfying(Effect.Park.class,
                park -> assertThat(park.task().taskId()).isEqualTo("t2"));
    }

    @Test
    void slotsCountsWorkersHereThatStillTakeTasksOfTheClass() {
        assertThat(core.slots(TYPE_1)).as("no worker for it").isZero();
        Worker big = join(v1("big", 3, TaskTypes.of(Set.of(1))));
        join(v1("any", 2, TaskTypes.any()));
        submit("t1", 1);

        assertThat(core.slots(TYPE_1)).as("held or free alike").isEqualTo(5);
        assertThat(core.slots(OTHER)).isEqualTo(2);
        core.drain(big.link());
        assertThat(core.slots(TYPE_1)).as("a draining worker takes nothing more").isEqualTo(2);
        core.startDraining(now);
        assertThat(core.slots(OTHER)).as("a service shutting down takes nothing from the rooms").isZero();
    }

    @Test
    void aTaskFromARoomWaitsHereForASlotWhileAWorkerHereTakesItsTypeAndGoesBackOtherwise() {
        Worker worker = join(v1("a", 1, TaskTypes.of(Set.of(1))));
        submit("t1", 1);
        submit("t2", 1);
        FakeTask fromRoom = new FakeTask("r1", 1).takenFromRoom();

        assertThat(core.submit(fromRoom, new Task("r1", 1, null), now)).as("brought for a slot here").isEmpty();

        core.leave(worker.link(), now);
        assertThat(core.tick(now)).extracting(effect -> ((Effect.Park) effect).task().taskId())
                .containsExactlyInAnyOrder("t2", "r1");
    }

    @Test
    void withoutRoomsNothingIsEverParked() {
        DispatchCore memory = new DispatchCore(WORKER_WAIT, Duration.ofMinutes(5));
        FakeTask task = new FakeTask("t1", 1);

        assertThat(memory.submit(task, new Task("t1", 1, null), now)).isEmpty();
        assertThat(memory.tick(now + WORKER_WAIT.toNanos() / 2)).isEmpty();
    }

    private Worker join(Worker worker) {
        core.join(worker, now);
        return worker;
    }

    private static Worker v1(String id, int capacity, TaskTypes types) {
        return new Worker(id, Protocol.V1, types, capacity, new FakeLink(), Instant.EPOCH);
    }

    private List<Effect> submit(String taskId, int type) {
        return core.submit(new FakeTask(taskId, 1), new Task(taskId, type, null), now);
    }

    private static Effect single(List<Effect> effects) {
        assertThat(effects).hasSize(1);
        return effects.get(0);
    }
}
