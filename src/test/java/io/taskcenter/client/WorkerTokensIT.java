package io.taskcenter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.taskcenter.support.ServiceProcess;
import io.taskcenter.support.SigningKey;
import io.taskcenter.support.TcpProxy;

/**
 * The worker library's tokens against the packaged service with authentication on: a key pair made for the
 * run, its public half given to the service as a PEM file, its private half signing the tokens.
 */
class WorkerTokensIT {

    private static final String QUEUE = "it.client-tokens.tasks";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ServiceProcess service;
    private static SigningKey key;

    @BeforeAll
    static void startService() throws Exception {
        key = SigningKey.generate();
        service = ServiceProcess.start(key.settings(ServiceProcess.onQueues(QUEUE)));
    }

    @AfterAll
    static void stopService() throws Exception {
        service.close();
        ServiceProcess.deleteQueues(QUEUE);
    }

    @Test
    void sendsTheTokenOnTheUpgradeAndAsksForAFreshOneOnEachReconnect() throws Exception {
        try (TcpProxy network = new TcpProxy("127.0.0.1", service.port()).start()) {
            List<String> issued = new CopyOnWriteArrayList<>();
            AtomicInteger welcomes = new AtomicInteger();
            TaskCenterWorker worker = TaskCenterWorker.builder(via(network)).workerId("1").taskTypes(1)
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .token(() -> {
                        String token = workerToken("1");
                        issued.add(token);
                        return token;
                    })
                    .listener(new WorkerListener() {
                        @Override
                        public void welcomed(Welcome welcome) {
                            welcomes.incrementAndGet();
                        }
                    })
                    .handler(task -> null).build();
            try {
                worker.start();
                await().atMost(WAIT).until(() -> welcomes.get() == 1);

                network.cut();
                network.restore();

                await().atMost(WAIT).until(() -> welcomes.get() == 2);
                assertThat(issued).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
            } finally {
                worker.close(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aRefusedTokenIsToldToTheListenerAndTriedAgainLater() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        TaskCenterWorker worker = TaskCenterWorker.builder(service.pushUrl()).workerId("1").taskTypes(1)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(200))
                .token(() -> "not-a-token")
                .listener(new WorkerListener() {
                    @Override
                    public void connectFailed(Throwable cause) {
                        failures.add(cause);
                    }
                })
                .handler(task -> null).build();
        try {
            worker.start();
            // A token can be renewed, so a 401 is not final: the worker keeps trying, with backoff.
            await().atMost(WAIT).until(() -> failures.size() >= 2);
            assertThat(failures.get(0)).isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) failures.get(0)).getResponse().statusCode()).isEqualTo(401);
            assertThat(worker.state()).isIn(WorkerState.WAITING_TO_RECONNECT, WorkerState.CONNECTING);
        } finally {
            worker.close(Duration.ofSeconds(5));
        }
    }

    private static String workerToken(String workerId) {
        return key.worker(workerId, 4, 1);
    }

    private static URI via(TcpProxy network) {
        return URI.create("ws://127.0.0.1:" + network.port() + "/push");
    }
}
