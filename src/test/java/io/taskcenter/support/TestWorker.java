package io.taskcenter.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker as deployed clients are: a plain WebSocket client (the JDK's) that records every frame it receives
 * and how its socket was closed.
 */
public final class TestWorker implements WebSocket.Listener, AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    public record Close(int code, String reason) {
    }

    private TestWorker(URI endpoint, Map<String, String> headers, String... subprotocols) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        this.socket = builder
                .buildAsync(endpoint, this)
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** Opens a socket that has not said anything yet, offering {@code subprotocols}. */
    public static TestWorker open(URI endpoint, String... subprotocols) {
        return new TestWorker(endpoint, Map.of(), subprotocols);
    }

    /** Opens a socket with extra handshake headers, such as {@code Authorization}. */
    public static TestWorker open(URI endpoint, Map<String, String> headers, String... subprotocols) {
        return new TestWorker(endpoint, headers, subprotocols);
    }

    /** Opens a socket and sends {@code workerId} as its first frame, as seed workers do. */
    public static TestWorker connect(URI endpoint, String workerId) {
        return open(endpoint).send(workerId);
    }

    public TestWorker send(String text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** Sends one text message as several frames, one per part. */
    public TestWorker sendFragmented(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        }
        return this;
    }

    public TestWorker sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** The next frame received, waiting up to {@code timeout}; null if none came. */
    public String poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every frame received so far and not yet polled. */
    public List<String> drain() {
        List<String> frames = new ArrayList<>();
        received.drainTo(frames);
        return frames;
    }

    /** How the service closed the socket; fails if it stays open for {@link #TIMEOUT}. */
    public Close awaitClose() {
        return closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The subprotocol the service chose, "" for none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "test done");
        }
        socket.abort();
    }
}
