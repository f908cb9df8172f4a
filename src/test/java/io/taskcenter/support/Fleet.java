package io.taskcenter.support;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.taskcenter.registry.Worker;
import io.taskcenter.registry.WorkerRegistry;

/**
 * The test workers of one test: connects them, waits until the service has them online, and disconnects
 * them all afterwards so the next test starts with nobody online.
 */
public final class Fleet implements AutoCloseable {

    private final URI endpoint;
    private final WorkerRegistry registry;
    private final List<TestWorker> workers = new ArrayList<>();

    public Fleet(URI pushUrl, WorkerRegistry registry) {
        this.endpoint = Sockets.ws(pushUrl);
        this.registry = registry;
    }

    /** Connects a seed worker and returns once the service lists {@code workerId} online. */
    public TestWorker connect(String workerId) {
        Worker previous = registry.find(workerId).orElse(null);
        TestWorker worker = track(TestWorker.connect(endpoint, workerId));
        await().atMost(TestWorker.TIMEOUT)
                .until(() -> registry.find(workerId).filter(online -> online != previous).isPresent());
        return worker;
    }

    /** Opens a socket that has sent nothing yet. */
    public TestWorker open() {
        return track(TestWorker.open(endpoint));
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
