package io.taskcenter.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import io.taskcenter.client.TaskCenterWorker;
import io.taskcenter.client.WorkerListener;
import io.taskcenter.client.Welcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Simulated workers in the bench process: seed workers are Vert.x WebSocket clients (a client per source address
 * in 127.0.0.0/8, so the connection-scale run is not limited by one address's ephemeral ports); v1 workers are
 * the worker library's, answering every task with {@code done} at once.
 */
final class Workers implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)
            .setBlockedThreadCheckInterval(60_000));
    private final Map<String, WebSocketClient> clients = new ConcurrentHashMap<>();
    /** What the v1 workers share: one HTTP client, handlers that return at once, and closes off the timers. */
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService handlers = Executors.newFixedThreadPool(2);
    private final ExecutorService closer = Executors.newCachedThreadPool();
    private final int port;

    Workers(int port) {
        this.port = port;
    }

    private WebSocketClient client(String localAddress) {
        return clients.computeIfAbsent(localAddress, a -> vertx.createWebSocketClient(new WebSocketClientOptions()
                .setLocalAddress(a).setMaxConnections(100_000).setConnectTimeout(30_000)
                .setMaxFrameSize(65536)));
    }

    private WebSocketConnectOptions options(String... subprotocols) {
        return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/push")
                .setSubProtocols(List.of(subprotocols));
    }

    /** A seed worker: sends its id, then hands every frame (the task name) to the sink. Ready once the id is sent. */
    Future<WebSocket> seed(String id, String localAddress, Amqp.Sink sink) {
        return client(localAddress).connect(options()).compose(ws -> {
            ws.textMessageHandler(frame -> sink.received(frame, System.nanoTime()));
            ws.exceptionHandler(e -> { });
            return ws.writeTextMessage(id).map(ws);
        });
    }

    /**
     * A v1 worker from the worker library: {@code done} for every task at once. Ready once welcomed; closing it
     * drains it without waiting.
     */
    CompletableFuture<AutoCloseable> v1(String id, int taskType, int capacity, Amqp.Sink sink) {
        CompletableFuture<AutoCloseable> welcomed = new CompletableFuture<>();
        AtomicReference<TaskCenterWorker> worker = new AtomicReference<>();
        AutoCloseable closing = () -> closer.execute(() -> worker.get().close(Duration.ZERO));
        worker.set(TaskCenterWorker.builder(URI.create("ws://127.0.0.1:" + port + "/push"))
                .workerId(id).taskTypes(taskType).capacity(capacity)
                .httpClient(http).executor(handlers)
                .handler(task -> {
                    sink.received(task.taskName(), System.nanoTime());
                    return null;
                })
                .listener(new WorkerListener() {
                    @Override
                    public void welcomed(Welcome welcome) {
                        welcomed.complete(closing);
                    }

                    @Override
                    public void closed(int code, String reason) {
                        welcomed.completeExceptionally(new IllegalStateException(
                                "closed before welcome: " + code + " " + reason));
                    }

                    @Override
                    public void connectFailed(Throwable cause) {
                        welcomed.completeExceptionally(cause);
                    }
                })
                .build());
        worker.get().start();
        return welcomed.whenComplete((ready, failure) -> {
            if (failure != null) {
                closer.execute(() -> worker.get().close(Duration.ZERO));
            }
        });
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        handlers.shutdownNow();
        closer.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
