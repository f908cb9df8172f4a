package io.taskcenter.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;

import io.taskcenter.support.Broker;
import io.taskcenter.support.ServiceProcess;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.TestWorker.Close;
import io.taskcenter.support.V1Worker;

/**
 * A rolling restart loses nothing: on SIGTERM the packaged service stops taking tasks, lets a worker finish
 * what it reports during the drain, returns the rest to the queue and closes the sockets with 1001.
 */
class ShutdownIT {

    private static final Duration DRAIN = Duration.ofSeconds(3);

    Broker broker;
    ServiceProcess service;

    @BeforeEach
    void start() {
        broker = Broker.forQueues("it.shutdown.tasks");
        Map<String, String> settings = new HashMap<>(ServiceProcess.onQueues("it.shutdown.tasks"));
        settings.put("taskcenter.shutdown.drain-timeout", DRAIN.toMillis() + "ms");
        // What is tested here is the drain; WorkerSecurityTest covers the tokens.
        settings.put("taskcenter.auth.enabled", "false");
        service = ServiceProcess.start(settings);
        broker.purge();
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
        broker.delete("it.shutdown.tasks.dlx");
        broker.close();
    }

    @Test
    void sigtermDrainsFinishedWorkAndReturnsTheRestToTheQueue() throws Exception {
        try (V1Worker worker = new V1Worker(TestWorker.open(service.pushUrl(), V1Worker.SUBPROTOCOL))) {
            worker.send(V1Worker.hello("1", 2, 1));
            assertThat(worker.next(TestWorker.TIMEOUT).get("type").asText()).isEqualTo("welcome");
            for (String id : List.of("finished", "unfinished", "waiting")) {
                broker.publish("{\"TaskName\":\"" + id + "\",\"TaskType\":1}",
                        new AMQP.BasicProperties.Builder().messageId(id).deliveryMode(2).build());
            }
            JsonNode first = worker.nextTask();
            JsonNode second = worker.nextTask();
            JsonNode finished = first.get("taskId").asText().equals("finished") ? first : second;

            service.terminate();
            service.awaitLog("Shutting down: draining", Duration.ofSeconds(10));
            worker.done(finished);

            assertThat(worker.awaitClose()).isEqualTo(new Close(1001, "The service is shutting down"));
            assertThat(service.awaitExit(DRAIN.plusSeconds(20))).as("the service exited").isTrue();
        }

        List<String> returned = broker.takeAll(broker.queue()).stream()
                .map(message -> message.getProps().getMessageId()).toList();
        assertThat(returned).containsExactlyInAnyOrder("unfinished", "waiting");
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
        assertThat(service.output()).anyMatch(line -> line.contains("Drained: 1 waiting and 1 unfinished"));
    }

    @Test
    void sigtermLeavesWhatWaitsInAWaitingRoomThereAndDeadLettersNothing() throws Exception {
        try (V1Worker worker = new V1Worker(TestWorker.open(service.pushUrl(), V1Worker.SUBPROTOCOL))) {
            worker.send(V1Worker.hello("1", 1, 1));
            assertThat(worker.next(TestWorker.TIMEOUT).get("type").asText()).isEqualTo("welcome");
            for (int i = 1; i <= 6; i++) {
                broker.publish("{\"TaskName\":\"room-" + i + "\",\"TaskType\":1}",
                        new AMQP.BasicProperties.Builder().messageId("room-" + i).deliveryMode(2).build());
            }
            worker.nextTask();
            // 1 held, 1 brought from the room for the slot, 4 in the room.
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.ready(broker.room("1")) == 4);

            // The worker keeps its task, so the drain lasts its whole timeout (3 s) before the task goes back.
            service.terminate();
            service.awaitLog("Shutting down: draining", Duration.ofSeconds(10));

            assertThat(worker.awaitClose()).isEqualTo(new Close(1001, "The service is shutting down"));
            assertThat(service.awaitExit(DRAIN.plusSeconds(20))).as("the service exited").isTrue();
        }

        // The drain took nothing more from the room: a room task returned on every delivery would have reached the
        // room's delivery limit (100) within the drain and been dead-lettered.
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
        List<String> left = new ArrayList<>();
        for (String queue : List.of(broker.queue(), broker.room("1"))) {
            broker.takeAll(queue).forEach(message -> left.add(message.getProps().getMessageId()));
        }
        assertThat(left).containsExactlyInAnyOrder("room-1", "room-2", "room-3", "room-4", "room-5", "room-6");
    }
}
