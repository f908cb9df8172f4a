package io.taskcenter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

import io.taskcenter.dispatch.Worker;
import io.taskcenter.dispatch.WorkerSnapshot;
import io.taskcenter.registry.WorkerRegistry;

/**
 * The test workers of one test: connects them, waits until the service has them online, and disconnects
 * them all afterwards so the next test starts with nobody online.
 */
public final class Fleet implements AutoCloseable {

    private final URI endpoint;
    private final WorkerRegistry registry;
    private final List<TestWorker> workers = new CopyOnWriteArrayList<>();

    public Fleet(URI pushUrl, WorkerRegistry registry) {
        this.endpoint = Sockets.ws(pushUrl);
        this.registry = registry;
    }

    /** Connects a seed worker and returns once the service lists {@code workerId} online. */
    public TestWorker connect(String workerId) {
        Worker previous = registry.find(workerId).map(WorkerSnapshot::worker).orElse(null);
        TestWorker worker = track(TestWorker.connect(endpoint, workerId));
        await().atMost(TestWorker.TIMEOUT)
                .until(() -> registry.find(workerId).filter(online -> online.worker() != previous).isPresent());
        return worker;
    }

    /** Opens a socket that has sent nothing yet. */
    public TestWorker open() {
        return track(TestWorker.open(endpoint));
    }

    /**
     * Connects a v1 worker, checks its {@code welcome}, and returns once the service lists it online.
     */
    public V1Worker connectV1(String workerId, int capacity, int... taskTypes) throws InterruptedException {
        return connectV1(endpoint, workerId, capacity, taskTypes);
    }

    /** As {@link #connectV1(String, int, int...)}, through {@code via} (a proxy in front of the service). */
    public V1Worker connectV1(URI via, String workerId, int capacity, int... taskTypes) throws InterruptedException {
        return connectV1(via, Map.of(), workerId, capacity, taskTypes);
    }

    /** As {@link #connectV1(String, int, int...)}, presenting {@code token} on the upgrade. */
    public V1Worker connectV1As(String token, String workerId, int capacity, int... taskTypes)
            throws InterruptedException {
        return connectV1(endpoint, Tokens.bearer(token), workerId, capacity, taskTypes);
    }

    /** Opens a v1 socket with {@code token} that has sent nothing yet. */
    public V1Worker openV1As(String token) {
        return new V1Worker(track(TestWorker.open(endpoint, Tokens.bearer(token), V1Worker.SUBPROTOCOL)));
    }

    /** Opens a seed socket with {@code token} that has sent nothing yet. */
    public TestWorker openAs(String token) {
        return track(TestWorker.open(endpoint, Tokens.bearer(token)));
    }

    private V1Worker connectV1(URI via, Map<String, String> headers, String workerId, int capacity, int... taskTypes)
            throws InterruptedException {
        Worker previous = registry.find(workerId).map(WorkerSnapshot::worker).orElse(null);
        V1Worker worker = new V1Worker(track(TestWorker.open(via, headers, V1Worker.SUBPROTOCOL)));
        worker.send(V1Worker.hello(workerId, capacity, taskTypes));
        JsonNode welcome = worker.next(TestWorker.TIMEOUT);
        assertThat(welcome.path("type").asText()).as("answer to hello: " + welcome).isEqualTo("welcome");
        await().atMost(TestWorker.TIMEOUT)
                .until(() -> registry.find(workerId).filter(online -> online.worker() != previous).isPresent());
        return worker;
    }

    /** Opens a v1 socket that has sent nothing yet. */
    public V1Worker openV1() {
        return new V1Worker(track(TestWorker.open(endpoint, V1Worker.SUBPROTOCOL)));
    }

    public URI endpoint() {
        return endpoint;
    }

    private TestWorker track(TestWorker worker) {
        workers.add(worker);
        return worker;
    }

    @Override
    public void close() {
        workers.forEach(TestWorker::close);
        await().atMost(TestWorker.TIMEOUT).until(() -> registry.online().isEmpty());
    }
}
