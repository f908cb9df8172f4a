package io.taskcenter.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;

import io.taskcenter.broker.ChannelRefusal;
import io.taskcenter.broker.RoomNames;
import io.taskcenter.client.TaskCenterWorker;
import io.taskcenter.support.Broker;
import io.taskcenter.support.ServiceProcess;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.TestWorker.Close;
import io.taskcenter.support.V1Worker;

/**
 * Three replicas of the packaged service on one broker, as Kubernetes runs them: type-1 workers only on replica
 * A, "other" workers only on B, none on C. Tasks reach their worker whichever replica took them from the shared
 * queue, through the waiting rooms; the no-worker rule holds across replicas; a replica killed, or a worker
 * moving, loses nothing.
 */
class ReplicasIT {

    private static final String QUEUE = "it.replicas.tasks";
    private static final RoomNames NAMES = new RoomNames(QUEUE);
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ServiceProcess> replicas = new ArrayList<>();
    private final List<TaskCenterWorker> workers = new CopyOnWriteArrayList<>();
    /** Task name → how many times a worker finished it. */
    private final Map<String, Integer> done = new ConcurrentHashMap<>();
    /** Once this many are done, handlers hold their tasks until {@link #carryOn} opens: the run is surely mid-way. */
    private volatile int holdAfter = Integer.MAX_VALUE;
    private final CountDownLatch carryOn = new CountDownLatch(1);
    private Broker broker;
    private ServiceProcess a;
    private ServiceProcess b;
    private ServiceProcess c;

    @BeforeEach
    void startReplicas() {
        broker = Broker.forQueues(QUEUE);
        Map<String, String> settings = new HashMap<>(ServiceProcess.onQueues(QUEUE));
        settings.put("taskcenter.auth.enabled", "false");
        // Long enough for a worker to reconnect elsewhere before its tasks meet the no-worker rule.
        settings.put("taskcenter.dispatch.worker-wait", "3s");
        List<ServiceProcess> launched = List.of(ServiceProcess.launch(settings), ServiceProcess.launch(settings),
                ServiceProcess.launch(settings));
        replicas.addAll(launched);
        launched.forEach(ServiceProcess::awaitReady);
        a = launched.get(0);
        b = launched.get(1);
        c = launched.get(2);
        broker.purge();
    }

    @AfterEach
    void stopReplicas() throws Exception {
        workers.forEach(worker -> worker.close(Duration.ofSeconds(2)));
        for (ServiceProcess replica : replicas) {
            replica.close();
        }
        ServiceProcess.deleteQueues(QUEUE);
        broker.close();
    }

    @Test
    void everyTaskReachesItsWorkerWhicheverReplicaTookItAndTheReplicaWithoutWorkersKeepsNone() throws Exception {
        worker(a, "1", 4, 1);
        worker(b, "2", 4, 2);

        List<String> names = publish("mixed", 300, index -> index % 2 == 0 ? 1 : 2);

        awaitAllDone(names);
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
        awaitQueuesEmpty();
        JsonNode stats = stats(c);
        assertThat(stats.path("inFlight").asInt()).isZero();
        assertThat(stats.path("waiting").asInt()).isZero();
        assertThat(stats.path("rooms").path("forwarded").asLong()).as("tasks C took and moved to a room").isPositive();
        assertThat(stats.path("dispatched").asLong()).as("C has no worker to give any to").isZero();
    }

    @Test
    void aTypeWhoseOnlyWorkerIsOnAnotherReplicaIsServedWhileItIsUpAndDeadLetteredOnlyOnceItLeaves() throws Exception {
        TaskCenterWorker only = worker(a, "1", 2, 1);

        awaitAllDone(publish("served", 60, index -> 1));
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();

        only.close(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(a).path("workersOnline").asInt() == 0);
        publish("orphan", 6, index -> 1);

        // worker-wait (3 s) on the replica that took each, requeue, worker-wait again, dead letter.
        await().atMost(RUN).until(() -> broker.ready(broker.deadLetterQueue()) == 6);
        awaitQueuesEmpty();
    }

    @Test
    void killingAReplicaMidRunLosesNothingWhileItsWorkerReconnectsToAnother() throws Exception {
        TaskCenterWorker first = worker(a, "1", 4, 1);
        worker(c, "2", 4, 2);

        losesNothingWhen("killed", () -> {
            a.close(); // SIGKILL: no drain, no goodbye
            first.close(Duration.ZERO); // interrupts its handlers: the tasks they held are not done
            carryOn.countDown();
            worker(b, "1", 4, 1);
        });
        assertThat(a.isAlive()).isFalse();
    }

    @Test
    void aWorkerMovingToAnotherReplicaMidRunLosesNothing() throws Exception {
        TaskCenterWorker moving = worker(a, "1", 4, 1);
        worker(b, "2", 4, 2);

        losesNothingWhen("moved", () -> {
            carryOn.countDown(); // the tasks it holds are finished and reported before it leaves
            moving.close(Duration.ofSeconds(5));
            worker(c, "1", 4, 1);
        });
    }

    private interface Disruption {
        void happen() throws Exception;
    }

    /**
     * 400 tasks of types 1 and 2, {@code disruption} once 50 are done and the workers hold more (it lets them carry
     * on): every one is done, none dead-lettered.
     */
    private void losesNothingWhen(String prefix, Disruption disruption) throws Exception {
        holdAfter = 50;
        List<String> names = publish(prefix, 400, index -> index % 2 == 0 ? 1 : 2);
        await().atMost(RUN).until(() -> done.size() >= 50 && workers.stream().anyMatch(w -> w.holding() > 0));

        disruption.happen();

        awaitAllDone(names);
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
        awaitQueuesEmpty();
    }

    @Test
    void aSecondConnectionWithAnOnlineIdOnAnotherReplicaReplacesTheFirst() throws Exception {
        try (V1Worker first = V1Worker.open(a.pushUrl()); V1Worker second = V1Worker.open(b.pushUrl())) {
            first.send(V1Worker.hello("1", 1, 1));
            assertThat(first.next(TestWorker.TIMEOUT).path("type").asText()).isEqualTo("welcome");

            second.send(V1Worker.hello("1", 1, 1));
            assertThat(second.next(TestWorker.TIMEOUT).path("type").asText()).isEqualTo("welcome");

            assertThat(first.awaitClose()).isEqualTo(new Close(1000, "A new client with same id was connected!"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !isOnline(a, "1"));
            assertThat(isOnline(b, "1")).isTrue();
            broker.publish("{\"TaskName\":\"after\",\"TaskType\":1}");
            JsonNode after = second.nextTask();
            assertThat(after.path("taskName").asText()).isEqualTo("after");
            second.done(after);
        }
    }

    /*
     * The two tests below play the other replica themselves, on the broker, to order what a busy replica may do in
     * either order: take a worker's lock before, or after, a newer connection with its id took it elsewhere.
     */

    @Test
    void aReplicaTakingTheLockLateClosesItsOwnConnectionWhenTheOwnerHasANewerOne() throws Exception {
        Channel owner = broker.openChannel();
        owner.queueDeclare(NAMES.workerLock("3"), false, true, true, Map.of());
        BlockingQueue<Delivery> asked = new LinkedBlockingQueue<>();
        owner.basicConsume(NAMES.workerLock("3"), true, (tag, delivery) -> asked.add(delivery), tag -> {
        });

        try (V1Worker older = V1Worker.open(a.pushUrl())) {
            older.send(V1Worker.hello("3", 1, 1));
            assertThat(older.next(TestWorker.TIMEOUT).path("type").asText()).isEqualTo("welcome");
            Delivery request = asked.poll(10, TimeUnit.SECONDS);
            assertThat(request).as("let-go request").isNotNull();
            assertThat(request.getProperties().getType()).isEqualTo("let-go");
            assertThat(request.getProperties().getReplyTo()).startsWith("amq.rabbitmq.reply-to");
            Object admitted = request.getProperties().getHeaders().get("admitted-us");

            owner.basicPublish("", request.getProperties().getReplyTo(), new AMQP.BasicProperties.Builder()
                    .type("stay").correlationId("3").headers(Map.of("admitted-us", admitted)).build(), new byte[0]);

            assertThat(older.awaitClose()).isEqualTo(new Close(1000, "A new client with same id was connected!"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !isOnline(a, "3"));
        }
    }

    @Test
    void theOwnerOfALockLetsGoForANewerConnectionOnlyAndAnswersAnOlderOneToStay() throws Exception {
        try (V1Worker online = V1Worker.open(a.pushUrl())) {
            online.send(V1Worker.hello("4", 1, 2));
            assertThat(online.next(TestWorker.TIMEOUT).path("type").asText()).isEqualTo("welcome");
            await().atMost(Duration.ofSeconds(10)).until(() -> isLocked(NAMES.workerLock("4")));
            Channel asker = broker.openChannel();
            BlockingQueue<Delivery> answers = new LinkedBlockingQueue<>();
            asker.basicConsume("amq.rabbitmq.reply-to", true, (tag, delivery) -> answers.add(delivery), tag -> {
            });

            long anHourAgo = (System.currentTimeMillis() - Duration.ofHours(1).toMillis()) * 1_000;
            asker.basicPublish("", NAMES.workerLock("4"), letGo(anHourAgo), new byte[0]);
            Delivery answer = answers.poll(10, TimeUnit.SECONDS);
            assertThat(answer).as("answer to an older connection").isNotNull();
            assertThat(answer.getProperties().getType()).isEqualTo("stay");
            assertThat(answer.getProperties().getCorrelationId()).isEqualTo("4");
            assertThat(answer.getProperties().getHeaders().get("admitted-us")).isEqualTo(anHourAgo);
            assertThat(isOnline(a, "4")).isTrue();

            asker.basicPublish("", NAMES.workerLock("4"), letGo(System.currentTimeMillis() * 1_000), new byte[0]);
            assertThat(online.awaitClose()).isEqualTo(new Close(1000, "A new client with same id was connected!"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !isLocked(NAMES.workerLock("4")));
            assertThat(answers).as("no answer when it lets go").isEmpty();
        }
    }

    private static AMQP.BasicProperties letGo(long admittedMicros) {
        return new AMQP.BasicProperties.Builder().type("let-go").replyTo("amq.rabbitmq.reply-to")
                .headers(Map.of("admitted-us", admittedMicros)).build();
    }

    /** Whether another connection owns the exclusive queue {@code name}: declaring it here is refused (405). */
    private boolean isLocked(String name) throws IOException, TimeoutException {
        Channel probe = broker.openChannel();
        try {
            probe.queueDeclarePassive(name);
            return false;
        } catch (IOException e) {
            return ChannelRefusal.is(e, AMQP.RESOURCE_LOCKED);
        } finally {
            if (probe.isOpen()) {
                probe.close();
            }
        }
    }

    private TaskCenterWorker worker(ServiceProcess replica, String id, int capacity, int... types) {
        TaskCenterWorker worker = TaskCenterWorker.builder(replica.pushUrl()).workerId(id).taskTypes(types)
                .capacity(capacity).handler(task -> {
                    if (done.size() >= holdAfter && !carryOn.await(RUN.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("held past the run: the disruption never came");
                    }
                    done.merge(task.taskName(), 1, Integer::sum);
                    return null;
                }).build();
        workers.add(worker);
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> isOnline(replica, id));
        return worker;
    }

    private interface TypeOf {
        int of(int index);
    }

    private List<String> publish(String prefix, int count, TypeOf type) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "-" + i;
            names.add(name);
            broker.publish("{\"TaskName\":\"" + name + "\",\"TaskType\":" + type.of(i) + "}",
                    new AMQP.BasicProperties.Builder().messageId(name).deliveryMode(2).build());
        }
        return names;
    }

    /** Every task done at least once: a task whose replica died after its worker finished it may run twice. */
    private void awaitAllDone(List<String> names) {
        await().atMost(RUN).untilAsserted(() -> assertThat(done.keySet()).containsAll(names));
    }

    private void awaitQueuesEmpty() {
        List<String> queues = new ArrayList<>(broker.rooms());
        queues.add(broker.queue());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String queue : queues) {
                assertThat(broker.ready(queue)).as(queue).isZero();
            }
        });
        for (ServiceProcess replica : replicas) {
            if (replica.isAlive()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> stats(replica).path("inFlight").asInt() == 0
                        && stats(replica).path("waiting").asInt() == 0);
            }
        }
    }

    private static boolean isOnline(ServiceProcess replica, String id) throws IOException, InterruptedException {
        for (JsonNode worker : get(replica, "/api/workers")) {
            if (worker.path("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode stats(ServiceProcess replica) throws IOException, InterruptedException {
        return get(replica, "/api/stats");
    }

    private static JsonNode get(ServiceProcess replica, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
