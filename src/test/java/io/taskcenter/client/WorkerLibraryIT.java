package io.taskcenter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import io.taskcenter.support.Broker;
import io.taskcenter.support.ServiceProcess;
import io.taskcenter.support.TcpProxy;

/**
 * The worker library against the packaged service and the real broker: what a worker author relies on.
 * The service runs with a 2 s task timeout and a 3 s heartbeat timeout, so the long-task and silent-connection
 * cases take seconds, not minutes.
 */
class WorkerLibraryIT {

    private static final String QUEUE = "it.client.tasks";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ServiceProcess service;
    private static Broker broker;

    private final List<TaskCenterWorker> workers = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private String replies;

    @BeforeAll
    static void startService() {
        Map<String, String> settings = new HashMap<>(ServiceProcess.onQueues(QUEUE));
        settings.put("taskcenter.auth.enabled", "false");
        settings.put("taskcenter.dispatch.task-timeout", "2s");
        settings.put("taskcenter.heartbeat.interval", "1s");
        settings.put("taskcenter.heartbeat.timeout", "3s");
        broker = Broker.forQueues(QUEUE);
        service = ServiceProcess.start(settings);
    }

    @AfterAll
    static void stopService() throws Exception {
        service.close();
        broker.delete(QUEUE + ".dlx");
        broker.close();
    }

    @BeforeEach
    void emptyQueues() {
        broker.purge();
        replies = broker.replyQueue();
    }

    @AfterEach
    void closeWorkers() {
        release.countDown();
        workers.forEach(worker -> worker.close(Duration.ofSeconds(5)));
    }

    @Test
    void holdsNoMoreThanItsCapacityAndItsResultsReachReplyTo() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        start(builder("1", 1).capacity(2).handler(task -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                return Map.of("handled", task.taskName());
            } finally {
                running.decrementAndGet();
            }
        }));
        for (int i = 0; i < 5; i++) {
            publish("cap-" + i, 1);
        }

        await().atMost(WAIT).until(() -> running.get() == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> running.get() <= 2);
        release.countDown();

        Map<String, JsonNode> outcomes = replies(5);
        assertThat(outcomes).containsOnlyKeys("cap-0", "cap-1", "cap-2", "cap-3", "cap-4");
        assertThat(outcomes.get("cap-3").get("status").asText()).isEqualTo("done");
        assertThat(outcomes.get("cap-3").get("result").get("handled").asText()).isEqualTo("cap-3");
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void aFailureReachesReplyToAndRetriesAsTheHandlerSays() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        start(builder("1", 1).retryWhen(failure -> !(failure instanceof IllegalArgumentException)).handler(task -> {
            tries.incrementAndGet();
            if (task.taskName().equals("no-customer")) {
                throw TaskFailure.permanent("customer not found");
            }
            if (task.attempt() < 2) {
                throw new IllegalStateException("database unavailable");
            }
            throw new IllegalArgumentException("order total is negative");
        }));
        publish("no-customer", 1);
        publish("flaky-then-bad", 1);

        Map<String, JsonNode> outcomes = replies(2);
        assertThat(outcomes.get("no-customer").get("status").asText()).isEqualTo("failed");
        assertThat(outcomes.get("no-customer").get("error").asText()).isEqualTo("customer not found");
        // Retried once (IllegalStateException), then not (IllegalArgumentException).
        assertThat(outcomes.get("flaky-then-bad").get("attempt").asInt()).isEqualTo(2);
        assertThat(outcomes.get("flaky-then-bad").get("error").asText())
                .isEqualTo("IllegalArgumentException: order total is negative");
        assertThat(tries.get()).isEqualTo(3);
        await().atMost(WAIT).until(() -> broker.ready(broker.deadLetterQueue()) == 2);
    }

    @Test
    void progressKeepsATaskThatRunsPastTheServiceTimeout() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        start(builder("1", 1).handler(task -> {
            runs.incrementAndGet();
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return "finished";
        }));
        publish("long", 1);

        // The task timeout is 2 s: without progress it would have gone back to the queue and come again.
        await().atMost(WAIT).until(() -> runs.get() == 1);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> runs.get() == 1);
        release.countDown();

        assertThat(replies(1).get("long").get("result").asText()).isEqualTo("finished");
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void reconnectsWhenTheConnectionIsCutAndEveryTaskIsDone() throws Exception {
        try (TcpProxy network = new TcpProxy("127.0.0.1", service.port()).start()) {
            AtomicInteger welcomes = new AtomicInteger();
            List<String> discarded = new CopyOnWriteArrayList<>();
            AtomicInteger handled = new AtomicInteger();
            CountDownLatch halfway = new CountDownLatch(20);
            start(builder(network, "1", 1).capacity(4).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .listener(counting(welcomes, discarded)).handler(task -> {
                        halfway.countDown();
                        handled.incrementAndGet();
                        return task.taskName();
                    }));
            for (int i = 0; i < 60; i++) {
                publish("cut-" + i, 1);
            }

            assertThat(halfway.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            network.cut();
            network.restore();

            Map<String, JsonNode> outcomes = replies(60);
            assertThat(outcomes).hasSize(60);
            assertThat(welcomes.get()).as("welcomed again after the cut").isEqualTo(2);
            assertThat(handled.get()).as("each task ran once, or again after the cut took its report")
                    .isGreaterThanOrEqualTo(60);
            await().atMost(WAIT).until(() -> broker.ready(broker.queue()) == 0);
            assertThat(broker.ready(broker.deadLetterQueue())).isZero();
        }
    }

    @Test
    void givesUpOnASilentConnectionItselfAndReconnects() throws Exception {
        try (TcpProxy network = new TcpProxy("127.0.0.1", service.port()).start()) {
            AtomicInteger welcomes = new AtomicInteger();
            List<String> closes = new CopyOnWriteArrayList<>();
            start(builder(network, "1", 1).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .listener(new WorkerListener() {
                        @Override
                        public void welcomed(Welcome welcome) {
                            welcomes.incrementAndGet();
                        }

                        @Override
                        public void closed(int code, String reason) {
                            closes.add(code + " " + reason);
                        }
                    }).handler(task -> "ok"));
            await().atMost(WAIT).until(() -> welcomes.get() == 1);

            network.freeze();
            await().atMost(WAIT).until(() -> !closes.isEmpty());
            network.thaw();

            assertThat(closes.get(0)).isEqualTo("1006 no frame or ping from the service for 3000 ms");
            await().atMost(WAIT).until(() -> welcomes.get() == 2);
            publish("after-silence", 1);
            assertThat(replies(1).get("after-silence").get("status").asText()).isEqualTo("done");
        }
    }

    @Test
    void closeFinishesTheTasksItHoldsAndTakesNoMore() throws Exception {
        Set<String> started = ConcurrentHashMap.newKeySet();
        TaskCenterWorker worker = start(builder("1", 1).capacity(3).handler(task -> {
            started.add(task.taskName());
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return "done before close";
        }));
        for (int i = 0; i < 3; i++) {
            publish("held-" + i, 1);
        }
        await().atMost(WAIT).until(() -> started.size() == 3);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> worker.close(WAIT));
        await().atMost(WAIT).until(() -> worker.state() == WorkerState.DRAINING);
        publish("after-close", 1);
        release.countDown();
        closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(replies(3)).containsOnlyKeys("held-0", "held-1", "held-2");
        assertThat(started).doesNotContain("after-close");
        assertThat(worker.state()).isEqualTo(WorkerState.CLOSED);
        // The task published during the drain waited for another worker.
        start(builder("3", 1).handler(task -> "taken by the next worker"));
        assertThat(replies(1)).containsOnlyKeys("after-close");
    }

    @Test
    void aHandlerCannotCloseItsOwnWorker() throws Exception {
        AtomicReference<TaskCenterWorker> self = new AtomicReference<>();
        self.set(start(builder("1", 1).handler(task -> {
            try {
                self.get().close(Duration.ofSeconds(1));
                return "closed";
            } catch (IllegalStateException refused) {
                return refused.getMessage();
            }
        })));
        publish("closes-itself", 1);

        assertThat(replies(1).get("closes-itself").get("result").asText())
                .startsWith("close() called from a task handler");
        assertThat(self.get().state()).isEqualTo(WorkerState.ONLINE);
    }

    @Test
    void aRefusedHelloIsNotRetried() throws Exception {
        List<String> closes = new CopyOnWriteArrayList<>();
        AtomicInteger connects = new AtomicInteger();
        TaskCenterWorker worker = start(builder("9", 1).backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                .listener(new WorkerListener() {
                    @Override
                    public void stateChanged(WorkerState from, WorkerState to) {
                        if (to == WorkerState.CONNECTING) {
                            connects.incrementAndGet();
                        }
                    }

                    @Override
                    public void closed(int code, String reason) {
                        closes.add(code + " " + reason);
                    }
                }).handler(task -> null));

        assertThat(worker.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WorkerState.STOPPED);
        assertThat(closes).containsExactly("1008 Unknown worker id '9': no task types are configured for it");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> connects.get() == 1);
    }

    private TaskCenterWorker.Builder builder(String id, int... types) {
        return TaskCenterWorker.builder(service.pushUrl()).workerId(id).taskTypes(types);
    }

    /** A worker that reaches the service through {@code network}. */
    private static TaskCenterWorker.Builder builder(TcpProxy network, String id, int... types) {
        return TaskCenterWorker.builder(URI.create("ws://127.0.0.1:" + network.port() + "/push")).workerId(id)
                .taskTypes(types);
    }

    private TaskCenterWorker start(TaskCenterWorker.Builder builder) {
        TaskCenterWorker worker = builder.build();
        workers.add(worker);
        worker.start();
        return worker;
    }

    private static WorkerListener counting(AtomicInteger welcomes, List<String> discarded) {
        return new WorkerListener() {
            @Override
            public void welcomed(Welcome welcome) {
                welcomes.incrementAndGet();
            }

            @Override
            public void discarded(Task task, Object outcome) {
                discarded.add(task.taskId());
            }
        };
    }

    private void publish(String id, int type) {
        broker.publish("{\"TaskName\":\"" + id + "\",\"TaskType\":" + type + "}", new AMQP.BasicProperties.Builder()
                .messageId(id).replyTo(replies).correlationId(id).deliveryMode(2).build());
    }

    /** The first reply per task id, once {@code count} task ids have one. */
    private Map<String, JsonNode> replies(int count) {
        Map<String, JsonNode> byTask = new ConcurrentHashMap<>();
        await().atMost(WAIT).until(() -> {
            for (GetResponse reply : broker.takeAll(replies)) {
                JsonNode body = Frames.JSON.readTree(reply.getBody());
                byTask.putIfAbsent(body.get("taskId").asText(), body);
            }
            return byTask.size() >= count;
        });
        return byTask;
    }
}
