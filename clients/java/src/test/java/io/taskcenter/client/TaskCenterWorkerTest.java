package io.taskcenter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** What needs no service: building, and closing a worker that never started. */
class TaskCenterWorkerTest {

    private final TaskCenterWorker.Builder builder = TaskCenterWorker.builder(URI.create("ws://127.0.0.1:1/push"))
            .workerId("1").taskTypes(1).handler(task -> null);

    @Test
    void refusesToBuildWithoutIdTypesOrHandler() {
        assertThrows(IllegalStateException.class, () -> TaskCenterWorker.builder(URI.create("ws://h/push"))
                .taskTypes(1).handler(task -> null).build());
        assertThrows(IllegalStateException.class, () -> TaskCenterWorker.builder(URI.create("ws://h/push"))
                .workerId("1").handler(task -> null).build());
        assertThrows(IllegalStateException.class, () -> TaskCenterWorker.builder(URI.create("ws://h/push"))
                .workerId("1").taskTypes(1).build());
        assertThrows(IllegalArgumentException.class, () -> builder.capacity(0));
        assertThrows(IllegalArgumentException.class, () -> builder.backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }

    @Test
    void aWorkerClosedBeforeItStartedIsClosedAndCannotStart() throws Exception {
        TaskCenterWorker worker = builder.build();
        worker.close(Duration.ofSeconds(1));

        assertEquals(WorkerState.CLOSED, worker.finished().get(5, TimeUnit.SECONDS));
        assertEquals(WorkerState.CLOSED, worker.state());
        assertThrows(IllegalStateException.class, worker::start);
        worker.close(Duration.ofSeconds(1));
    }

    @Test
    void aWorkerThatCannotReachTheServiceKeepsTryingUntilClosed() throws Exception {
        TaskCenterWorker worker = builder.backoff(Duration.ofMillis(10), Duration.ofMillis(20)).build();
        worker.start();
        worker.close(Duration.ofSeconds(1));
        assertEquals(WorkerState.CLOSED, worker.finished().get(5, TimeUnit.SECONDS));
    }
}
