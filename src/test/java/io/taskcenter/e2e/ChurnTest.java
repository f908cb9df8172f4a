package io.taskcenter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.V1Worker;

/**
 * Thousands of tasks through v1 workers that drop their connections at random while the tasks flow. At the end
 * every task was completed by some worker or is in the dead-letter queue; none is missing, and every task a
 * worker saw more than once came to it again as a redelivery, with a higher attempt number.
 */
@QuarkusTest
class ChurnTest extends QuarkusBrokerTest {

    private static final int TASKS = 3000;
    private static final int CAPACITY = 4;
    /** Chance that a worker drops its connection right after taking a task, leaving what it holds unreported. */
    private static final double DROP_CHANCE = 0.005;
    private static final Duration BUDGET = Duration.ofMinutes(3);

    /** Task id → the attempt numbers of every copy workers received, in order. */
    private final Map<String, List<Integer>> received = new ConcurrentHashMap<>();
    private final Set<String> completed = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Test
    void everyTaskIsCompletedOrDeadLetteredWhileWorkersComeAndGo() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        // Workers 1 and 3 take type 1, workers 2 and 4 every other type, as configured.
        for (String id : List.of("1", "2", "3", "4")) {
            int type = id.equals("1") || id.equals("3") ? 1 : 2;
            workers.add(threads.submit(() -> work(id, type)));
        }

        for (int i = 0; i < TASKS; i++) {
            broker.publish(task("churn-" + i, 1 + i % 2),
                    new AMQP.BasicProperties.Builder().messageId("churn-" + i).deliveryMode(2).build());
        }

        Set<String> deadLettered = new HashSet<>();
        await().atMost(BUDGET).pollInterval(Duration.ofMillis(200)).until(() -> {
            broker.takeAll(broker.deadLetterQueue()).forEach(dead -> deadLettered.add(messageId(dead)));
            return completed.size() + deadLettered.size() >= TASKS
                    && dispatcher.inFlight() == 0 && dispatcher.waiting() == 0;
        });
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        threads.shutdown();

        Set<String> accounted = new HashSet<>(completed);
        accounted.addAll(deadLettered);
        assertThat(accounted).as("tasks completed or dead-lettered").hasSize(TASKS);
        assertThat(broker.ready(broker.queue())).as("tasks left in the queue").isZero();
        assertThat(errors).as("error frames workers got").isEmpty();
        assertThat(drops.get()).as("connections dropped mid-task").isPositive();

        int duplicates = 0;
        for (Map.Entry<String, List<Integer>> copies : received.entrySet()) {
            List<Integer> attempts = copies.getValue();
            duplicates += attempts.size() - 1;
            for (int i = 1; i < attempts.size(); i++) {
                assertThat(attempts.get(i)).as("attempts of " + copies.getKey() + ": " + attempts)
                        .isGreaterThan(attempts.get(i - 1));
            }
        }
        Log.infof("Churn: %d tasks, %d completed, %d dead-lettered, %d connections dropped, %d copies received again",
                TASKS, completed.size(), deadLettered.size(), drops.get(), duplicates);
    }

    /**
     * One worker: takes tasks, holds a few, reports them done in random order, and now and then drops its
     * connection with whatever it holds, then comes back under the same id.
     */
    private Void work(String id, int type) throws Exception {
        V1Worker worker = fleet.connectV1(id, CAPACITY, type);
        List<JsonNode> held = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            JsonNode frame = worker.poll(Duration.ofMillis(20));
            if (frame != null && !frame.get("type").asText().equals("task")) {
                errors.add(frame.toString());
            } else if (frame != null) {
                received.computeIfAbsent(frame.get("taskId").asText(), key -> new CopyOnWriteArrayList<>())
                        .add(frame.get("attempt").asInt());
                held.add(frame);
                if (random.nextDouble() < DROP_CHANCE) {
                    drops.incrementAndGet();
                    held.clear();
                    worker.close();
                    worker = fleet.connectV1(id, CAPACITY, type);
                    continue;
                }
            }
            // Finish one held task, more often the fuller the worker is.
            if (!held.isEmpty() && (frame == null || random.nextInt(CAPACITY) < held.size())) {
                JsonNode done = held.remove(random.nextInt(held.size()));
                worker.done(done);
                completed.add(done.get("taskId").asText());
            }
        }
        worker.close();
        return null;
    }

    private static String messageId(GetResponse message) {
        return message.getProps().getMessageId();
    }
}
