package io.taskcenter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.taskcenter.dispatch.Fakes.FakeLink;
import io.taskcenter.dispatch.Fakes.FakeTask;
import io.taskcenter.task.Task;
import io.taskcenter.task.TaskTypes;

/**
 * The dispatch rules, stepped through with a fake clock: no sockets, no broker, no waiting.
 */
class DispatchCoreTest {

    private static final Duration WORKER_WAIT = Duration.ofSeconds(10);
    private static final Duration TASK_TIMEOUT = Duration.ofMinutes(5);

    private final DispatchCore core = new DispatchCore(WORKER_WAIT, TASK_TIMEOUT);
    private long now = 1_000;

    @Test
    void neverGivesAWorkerMoreThanItsCapacityAndSendsTheRestWhenASlotFrees() {
        Worker worker = join(v1("a", 2, 1));

        List<Assignment> sent = sends(submit("t1", 1), submit("t2", 1), submit("t3", 1));

        assertThat(sent).extracting(Assignment::taskId).containsExactly("t1", "t2");
        assertThat(core.waiting()).isEqualTo(1);
        DispatchCore.Outcome done = core.done(worker.link(), "t1", "\"ok\"", now);
        assertThat(done.report()).isEqualTo(Report.ACCEPTED);
        assertThat(sends(done.effects())).extracting(Assignment::taskId).containsExactly("t3");
        assertThat(settled(done.effects())).containsEntry("t1", new Verdict.Done("a", "\"ok\""));
    }

    @Test
    void givesTheNextTaskToTheWorkerUsingTheSmallestShareOfItsCapacity() {
        join(v1("big", 10, 1));
        join(v1("small", 2, 1));
        sends(submit("b1", 1), submit("b2", 1), submit("b3", 1)); // big 1/10, small 1/2, big 2/10

        assertThat(sends(submit("next", 1))).extracting(a -> a.worker().id()).containsExactly("big");
    }

    @Test
    void equallyIdleTwinsShareEvenlyWhenTaskTypesInterleave() {
        for (String id : List.of("1", "2", "3", "4")) {
            join(new Worker(id, Protocol.SEED, id.equals("1") || id.equals("3") ? TaskTypes.of(Set.of(1))
                    : TaskTypes.otherThan(Set.of(1)), 1, new FakeLink(), Instant.EPOCH));
        }
        Map<String, Integer> received = new HashMap<>();

        for (int i = 0; i < 100; i++) {
            for (Assignment assignment : sends(submit("t" + i, i % 2 == 0 ? 1 : 2))) {
                received.merge(assignment.worker().id(), 1, Integer::sum);
                core.written(assignment, now);
            }
        }

        assertThat(received).containsOnly(Map.entry("1", 25), Map.entry("2", 25), Map.entry("3", 25),
                Map.entry("4", 25));
    }

    @Test
    void aReportThatOvertakesItsWriteCallbackCountsTheTaskAsDispatchedOnce() {
        Worker worker = join(v1("fast", 1, 1));
        Assignment sent = sends(submit("t1", 1)).get(0);

        DispatchCore.Outcome done = core.done(worker.link(), "t1", null, now);

        assertThat(done.effects()).filteredOn(Effect.Dispatched.class::isInstance).hasSize(1);
        assertThat(core.written(sent, now)).as("the late callback adds nothing").isEmpty();
    }

    @Test
    void aSeedTaskIsHandedOverOnceWrittenAndItsSlotFreesForTheNext() {
        Worker seed = join(new Worker("1", Protocol.SEED, TaskTypes.of(Set.of(1)), 1, new FakeLink(), Instant.EPOCH));
        Assignment first = sends(submit("t1", 1)).get(0);
        assertThat(sends(submit("t2", 1))).isEmpty();

        List<Effect> written = core.written(first, now);

        assertThat(settled(written)).containsEntry("t1", new Verdict.HandedOver("1"));
        assertThat(sends(written)).extracting(Assignment::taskId).containsExactly("t2");
        assertThat(written).contains(new Effect.Dispatched(first, Duration.ZERO));
        assertThat(first.worker()).isEqualTo(seed);
    }

    @Test
    void aFailedWriteTakesTheWorkerOutOfRotationAndTheTaskGoesFirstToTheNextWorker() {
        Worker failing = join(v1("a", 4, 1));
        Assignment lost = sends(submit("t1", 1)).get(0);
        submit("t2", 1);

        List<Effect> failed = core.writeFailed(lost, now);
        assertThat(failed).as("it takes no more tasks").containsExactly(new Effect.Retired(failing));
        assertThat(core.waiting()).isEqualTo(1);
        assertThat(core.written(lost, now)).as("a late callback for the same write").isEmpty();

        Worker next = v1("b", 1, 1);
        List<Assignment> rescued = sends(core.join(next, now));

        assertThat(rescued).extracting(Assignment::taskId).containsExactly("t1");
        assertThat(rescued).extracting(Assignment::worker).containsExactly(next);
        assertThat(sends(submit("t3", 1))).as("nothing more for the worker whose write failed").isEmpty();
    }

    @Test
    void aDrainingWorkerGetsNoMoreTasksButStillReportsWhatItHolds() {
        Worker leaving = join(v1("leaving", 4, 1));
        sends(submit("held", 1));

        DispatchCore.Drained drained = core.drain(leaving.link());
        assertThat(drained.held()).as("tasks it holds").isEqualTo(1);
        assertThat(drained.effects()).containsExactly(new Effect.Retired(leaving));
        assertThat(core.drain(leaving.link()).effects()).as("retired once").isEmpty();
        assertThat(sends(submit("next", 1))).as("nothing for a draining worker").isEmpty();
        Worker other = v1("other", 1, 1);
        assertThat(sends(core.join(other, now))).extracting(Assignment::taskId).containsExactly("next");

        DispatchCore.Outcome done = core.done(leaving.link(), "held", null, now);
        assertThat(done.report()).isEqualTo(Report.ACCEPTED);
        assertThat(settled(done.effects())).containsOnlyKeys("held");
        assertThat(core.drain(new FakeLink()).held()).as("a worker that is not online").isEqualTo(-1);
    }

    @Test
    void aTaskWithNoEligibleWorkerWaitsForOneThenIsUnserved() {
        submit("lonely", 7);

        now += WORKER_WAIT.toNanos() / 2;
        assertThat(core.tick(now)).isEmpty();
        now += WORKER_WAIT.toNanos() / 2;

        Map<String, Verdict> settled = settled(core.tick(now));
        assertThat(settled).containsOnlyKeys("lonely");
        assertThat(settled.get("lonely")).isInstanceOf(Verdict.Unserved.class);
        assertThat(core.waiting()).isZero();
    }

    @Test
    void aWorkerThatComesOnlineWithinTheWorkerWaitGetsTheTask() {
        submit("patient", 7);
        now += WORKER_WAIT.toNanos() - 1;
        core.tick(now);

        List<Effect> joined = core.join(v1("late", 1, 7), now);

        assertThat(sends(joined)).extracting(Assignment::taskId).containsExactly("patient");
    }

    @Test
    void aTaskThatWaitsBecauseEveryWorkerIsBusyWaitsAsLongAsItTakes() {
        join(v1("busy", 1, 1));
        submit("t1", 1);
        submit("t2", 1);

        now += WORKER_WAIT.toNanos() * 10;

        assertThat(core.tick(now)).isEmpty();
        assertThat(core.waiting()).isEqualTo(1);
    }

    @Test
    void aTaskPastItsDeadlineIsLostGoesToAnotherWorkerAndALateDoneIsRefused() {
        Worker stuck = join(v1("stuck", 1, 1));
        Assignment first = sends(submit("slow", 1)).get(0);
        core.written(first, now);
        Worker other = join(v1("other", 1, 1));

        now += TASK_TIMEOUT.toNanos() + 1;
        List<Effect> expired = core.tick(now);

        assertThat(settled(expired).get("slow")).isInstanceOf(Verdict.Lost.class);
        assertThat(core.done(stuck.link(), "slow", null, now).report()).isEqualTo(Report.EXPIRED_TASK);
        assertThat(core.done(stuck.link(), "never-held", null, now).report()).isEqualTo(Report.UNKNOWN_TASK);
        // Redelivered, the same task goes to the worker it did not expire on.
        core.submit(new FakeTask("slow", 2), new Task("slow", 1, null), now);
        assertThat(core.online()).filteredOn(w -> w.worker() == other).extracting(WorkerSnapshot::inFlight)
                .containsExactly(1);
    }

    @Test
    void progressRestartsTheDeadline() {
        Worker worker = join(v1("a", 1, 1));
        core.written(sends(submit("long", 1)).get(0), now);

        now += TASK_TIMEOUT.toNanos() - 1;
        assertThat(core.progress(worker.link(), "long", now)).isEqualTo(Report.ACCEPTED);
        now += TASK_TIMEOUT.toNanos() - 1;

        assertThat(core.tick(now)).isEmpty();
        assertThat(core.inFlight()).isEqualTo(1);
    }

    @Test
    void aReplacedConnectionGetsNoMoreTasksAtOnceButMayStillReportWhatItHolds() {
        Worker old = join(v1("a", 2, 1));
        Assignment held = sends(submit("held", 1)).get(0);
        core.written(held, now);

        Worker replacement = v1("a", 2, 1);
        List<Effect> joined = core.join(replacement, now);
        List<Assignment> next = sends(submit("next", 1));

        assertThat(joined).contains(new Effect.Close(old, Closing.REPLACED));
        assertThat(next).extracting(Assignment::worker).containsExactly(replacement);
        assertThat(core.online()).extracting(WorkerSnapshot::worker).containsExactly(replacement);
        assertThat(core.done(old.link(), "held", null, now).report()).isEqualTo(Report.ACCEPTED);
        // Its close completing later takes nothing from the new connection.
        assertThat(settled(core.leave(old.link(), now))).isEmpty();
        assertThat(core.inFlight()).isEqualTo(1);
    }

    @Test
    void aV1WorkerThatLeavesLosesEveryTaskItHoldsOnce() {
        Worker worker = join(v1("a", 2, 1));
        List<Assignment> sent = sends(submit("written", 1), submit("pending", 1));
        core.written(sent.get(0), now);

        Map<String, Verdict> lost = settled(core.leave(worker.link(), now));

        assertThat(lost).containsOnlyKeys("written", "pending");
        assertThat(lost.values()).allMatch(Verdict.Lost.class::isInstance);
        assertThat(core.written(sent.get(1), now)).as("the write completing afterwards").isEmpty();
        assertThat(core.writeFailed(sent.get(1), now)).isEmpty();
        assertThat(core.done(worker.link(), "written", null, now).report()).isEqualTo(Report.UNKNOWN_TASK);
        assertThat(core.inFlight()).isZero();
    }

    @Test
    void aSeedTaskStillBeingWrittenWhenItsWorkerLeavesIsSettledByItsWrite() {
        Worker seed = join(new Worker("1", Protocol.SEED, TaskTypes.of(Set.of(1)), 1, new FakeLink(), Instant.EPOCH));
        Assignment pending = sends(submit("t1", 1)).get(0);

        assertThat(settled(core.leave(seed.link(), now))).isEmpty();

        assertThat(settled(core.written(pending, now))).containsEntry("t1", new Verdict.HandedOver("1"));
        assertThat(core.inFlight()).isZero();
    }

    @Test
    void aStaleTaskIsDroppedUnsettledWhereverItWaits() {
        FakeTask stale = new FakeTask("stale", 1);
        core.submit(stale, new Task("stale", 1, null), now);
        stale.stale = true;

        List<Effect> joined = core.join(v1("a", 1, 1), now);

        assertThat(sends(joined)).isEmpty();
        assertThat(core.waiting()).isZero();
    }

    @Test
    void drainingReturnsWaitingTasksKeepsAcceptingReportsAndAbandonsTheRest() {
        Worker worker = join(v1("a", 2, 1));
        List<Assignment> sent = sends(submit("t1", 1), submit("t2", 1));
        sent.forEach(assignment -> core.written(assignment, now));
        submit("waiting", 1);

        assertThat(settled(core.startDraining(now))).containsOnlyKeys("waiting");
        assertThat(settled(core.submit(new FakeTask("late", 1), new Task("late", 1, null), now)).get("late"))
                .isInstanceOf(Verdict.Returned.class);
        assertThat(core.done(worker.link(), "t1", null, now).effects()).noneMatch(Effect.Send.class::isInstance);
        assertThat(core.inFlight()).isEqualTo(1);

        Map<String, Verdict> abandoned = settled(core.abandonHeld(now));
        assertThat(abandoned).containsOnlyKeys("t2");
        assertThat(abandoned.get("t2")).isInstanceOf(Verdict.Returned.class);
        assertThat(core.inFlight()).isZero();
        assertThat(core.done(worker.link(), "t2", null, now).report()).isEqualTo(Report.UNKNOWN_TASK);
    }

    @Test
    void aFailureReportCarriesTheErrorAndTheWorkersRetryWish() {
        Worker worker = join(v1("a", 1, 1));
        core.written(sends(submit("t1", 1)).get(0), now);

        DispatchCore.Outcome failed = core.failed(worker.link(), "t1", "disk full", true, now);

        assertThat(settled(failed.effects())).containsEntry("t1", new Verdict.Failed("a", "disk full", true));
    }

    private Worker join(Worker worker) {
        core.join(worker, now);
        return worker;
    }

    private static Worker v1(String id, int capacity, int... types) {
        Set<Integer> taken = new HashSet<>();
        for (int type : types) {
            taken.add(type);
        }
        return new Worker(id, Protocol.V1, TaskTypes.of(taken), capacity, new FakeLink(), Instant.EPOCH);
    }

    private List<Effect> submit(String taskId, int type) {
        return core.submit(new FakeTask(taskId, 1), new Task(taskId, type, null), now);
    }

    @SafeVarargs
    private static List<Assignment> sends(List<Effect>... steps) {
        List<Assignment> sent = new ArrayList<>();
        for (List<Effect> effects : steps) {
            effects.stream().filter(Effect.Send.class::isInstance).map(send -> ((Effect.Send) send).assignment())
                    .forEach(sent::add);
        }
        return sent;
    }

    private static Map<String, Verdict> settled(List<Effect> effects) {
        Map<String, Verdict> settled = new HashMap<>();
        for (Effect effect : effects) {
            if (effect instanceof Effect.Settle settle) {
                assertThat(settled.put(settle.task().taskId(), settle.verdict())).as("settled twice").isNull();
            }
        }
        return settled;
    }
}
