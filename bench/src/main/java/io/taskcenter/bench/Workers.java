package io.taskcenter.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Simulated workers: real WebSocket clients (Vert.x) in the bench process, speaking the seed protocol or v1
 * (answering every task with {@code done} at once). A client per source address in 127.0.0.0/8, so the
 * connection-scale run is not limited by one address's ephemeral ports.
 */
final class Workers implements AutoCloseable {

    static final String V1 = "taskcenter.v1";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)
            .setBlockedThreadCheckInterval(60_000));
    private final Map<String, WebSocketClient> clients = new ConcurrentHashMap<>();
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

    /** A v1 worker: hello, then {@code done} for every task. Ready once welcomed. */
    Future<WebSocket> v1(String id, int taskType, int capacity, String localAddress, Amqp.Sink sink) {
        return client(localAddress).connect(options(V1)).compose(ws -> {
            Promise<WebSocket> welcomed = Promise.promise();
            ws.exceptionHandler(e -> { });
            ws.closeHandler(v -> welcomed.tryFail("closed before welcome: " + ws.closeStatusCode() + " "
                    + ws.closeReason()));
            ws.textMessageHandler(frame -> {
                if (frame.contains("\"type\":\"task\"")) {
                    long now = System.nanoTime();
                    String taskId = field(frame, "taskId");
                    sink.received(field(frame, "taskName"), now);
                    ws.writeTextMessage("{\"type\":\"done\",\"taskId\":\"" + taskId + "\"}");
                } else if (frame.contains("\"type\":\"welcome\"")) {
                    welcomed.tryComplete(ws);
                }
            });
            ws.writeTextMessage("{\"type\":\"hello\",\"workerId\":\"" + id + "\",\"taskTypes\":[" + taskType
                    + "],\"capacity\":" + capacity + "}");
            return welcomed.future();
        });
    }

    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key) + key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
