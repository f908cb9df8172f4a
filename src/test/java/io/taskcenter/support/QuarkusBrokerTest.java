package io.taskcenter.support;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.common.http.TestHTTPResource;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.registry.WorkerRegistry;
import io.taskcenter.stats.TaskStats;

/**
 * What every test against the running service and the real broker starts from: empty task and dead-letter
 * queues, nobody online, and a {@link Broker} and a {@link Fleet} to act as producer and workers.
 */
public abstract class QuarkusBrokerTest {

    @TestHTTPResource("/push")
    protected URI push;

    @Inject
    protected WorkerRegistry registry;

    @Inject
    protected TaskStats stats;

    @Inject
    protected Dispatcher dispatcher;

    protected static Broker broker;
    protected Fleet fleet;

    @BeforeAll
    static void connectBroker() {
        broker = Broker.connect();
    }

    @AfterAll
    static void closeBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void startEmpty() {
        // Tasks a failed test left with the service end up requeued or dead-lettered within a few worker-waits.
        await().atMost(Duration.ofSeconds(15)).until(() -> dispatcher.waiting() == 0 && dispatcher.inFlight() == 0);
        broker.purge();
        fleet = new Fleet(push, registry);
    }

    @AfterEach
    void disconnectEveryone() {
        fleet.close();
    }

    protected static String task(String name, int type) {
        return "{\"TaskName\":\"" + name + "\",\"TaskType\":" + type + "}";
    }
}
