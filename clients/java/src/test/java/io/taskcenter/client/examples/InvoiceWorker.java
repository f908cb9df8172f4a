package io.taskcenter.client.examples;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.taskcenter.client.TaskCenterWorker;
import io.taskcenter.client.TaskFailure;
import io.taskcenter.client.WorkerListener;
import io.taskcenter.client.WorkerState;

/**
 * A complete worker: takes tasks of type 2 as worker "2" and "invoices" each one. Run it against
 * {@code ./mvnw quarkus:dev} with {@code ./mvnw -f clients/java -q test-compile exec:java}; stop it with Ctrl-C,
 * which finishes the tasks it holds first. Settings (system properties): {@code taskcenter.url}
 * (ws://localhost:8080/push), {@code taskcenter.worker-id} (2), {@code taskcenter.task-types} (2),
 * {@code taskcenter.token} (none).
 */
public final class InvoiceWorker {

    public static void main(String[] args) {
        int[] types = Arrays.stream(System.getProperty("taskcenter.task-types", "2").split(","))
                .mapToInt(type -> Integer.parseInt(type.trim())).toArray();
        String token = System.getProperty("taskcenter.token");

        TaskCenterWorker worker = TaskCenterWorker.builder(
                URI.create(System.getProperty("taskcenter.url", "ws://localhost:8080/push")))
                .workerId(System.getProperty("taskcenter.worker-id", "2"))
                .taskTypes(types)
                .capacity(4)
                .token(() -> token)
                .handler(task -> {
                    if (!task.payload().has("TaskName")) {
                        throw TaskFailure.permanent("no TaskName to invoice");
                    }
                    Thread.sleep(200); // the real work
                    return Map.of("invoice", "INV-" + task.taskId(), "attempt", task.attempt());
                })
                .listener(new WorkerListener() {
                    @Override
                    public void stateChanged(WorkerState from, WorkerState to) {
                        System.out.println("worker: " + from + " -> " + to);
                    }

                    @Override
                    public void closed(int code, String reason) {
                        System.out.println("worker: connection closed " + code + " " + reason);
                    }
                })
                .build();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.close(Duration.ofSeconds(20))));
        worker.start();
        // Returns when the service refuses the hello for good; Ctrl-C runs the hook above instead.
        System.out.println("worker: finished " + worker.finished().join());
    }
}
