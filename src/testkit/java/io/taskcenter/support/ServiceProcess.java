package io.taskcenter.support;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) running in a process of its own, as it runs
 * in production, so a test can send it a real SIGTERM and the bench can measure it apart from its load.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    /** Output lines kept: enough for any test's assertions, bounded for a bench's service that runs for an hour. */
    private static final int OUTPUT_LINES = 5_000;

    private final Process process;
    private final int port;
    private final List<String> command;
    private final Deque<String> output = new ArrayDeque<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceProcess(Process process, int port, List<String> command) {
        this.process = process;
        this.port = port;
        this.command = List.copyOf(command);
        Thread reader = new Thread(this::readOutput, "service-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the jar with {@code settings} as system properties and waits until it is ready. */
    public static ServiceProcess start(Map<String, String> settings) {
        ServiceProcess service = launch(settings);
        service.awaitReady();
        return service;
    }

    /** Waits until the service says it is ready, as a Kubernetes readiness probe asks. */
    public void awaitReady() {
        awaitReady(Duration.ofSeconds(60));
    }

    /** Waits up to {@code timeout} until the service is ready; fails at once, with its output, if it exits. */
    public void awaitReady(Duration timeout) {
        try {
            await().pollInterval(Duration.ofMillis(200)).atMost(timeout)
                    .until(() -> !process.isAlive() || status("/q/health/ready") == 200);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The service was not ready within " + timeout + "; " + tail(), e);
        }
        if (!process.isAlive()) {
            throw new AssertionError("The service exited with " + process.exitValue() + " before it was ready; "
                    + tail());
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Starts the jar with {@code settings} as system properties, without waiting for anything. */
    public static ServiceProcess launch(Map<String, String> settings) {
        return launch(JAR, List.of(), settings);
    }

    /**
     * Starts {@code jar} (the packaged service, or a copy of it) on a free port, with {@code jvmArgs} and
     * {@code settings} as system properties, without waiting for anything.
     */
    public static ServiceProcess launch(Path jar, List<String> jvmArgs, Map<String, String> settings) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw package (./mvnw verify does)");
        }
        int port = Sockets.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dquarkus.http.port=" + port);
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            return new ServiceProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), port, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The command line it was started with. */
    public List<String> command() {
        return command;
    }

    /** The exit code, once {@link #awaitExit} has seen the process end. */
    public int exitCode() {
        return process.exitValue();
    }

    /**
     * Settings that point a service at the local broker (RABBITMQ_HOST/RABBITMQ_PORT, as the tests use) with
     * exchanges and queues named after {@code queue}, so tests of different classes never share tasks.
     */
    public static Map<String, String> onQueues(String queue) {
        String channel = "mp.messaging.incoming.tasks.";
        return Map.of(
                "rabbitmq-host", Broker.HOST,
                "rabbitmq-port", String.valueOf(Broker.PORT),
                channel + "exchange.name", queue,
                channel + "queue.name", queue,
                channel + "dead-letter-exchange", Broker.deadLetterExchange(queue),
                channel + "dead-letter-routing-key", queue,
                channel + "dead-letter-queue-name", Broker.deadLetterQueue(queue));
    }

    /** Deletes the exchanges and queues {@link #onQueues} named after {@code queue}, once a test is done with them. */
    public static void deleteQueues(String queue) throws IOException, TimeoutException {
        try (Broker broker = Broker.forQueues(queue)) {
            broker.delete(Broker.deadLetterExchange(queue));
        }
    }

    public int port() {
        return port;
    }

    public URI pushUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/push");
    }

    /** Sends SIGTERM, as Kubernetes does to stop a pod. */
    public void terminate() {
        // Not process.destroy(): it also closes our end of the output pipe, and the drain logs would be lost.
        process.toHandle().destroy();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        terminate();
        if (!awaitExit(grace)) {
            close();
        }
    }

    /** Waits until the service has logged a line containing {@code text}. */
    public void awaitLog(String text, Duration timeout) {
        try {
            await().atMost(timeout).until(() -> output().stream().anyMatch(line -> line.contains(text)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The service (alive: " + process.isAlive() + ") did not log '" + text
                    + "' within " + timeout + "; " + tail(), e);
        }
    }

    /** What it printed so far (its last {@value #OUTPUT_LINES} lines). */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** "its last lines:" and the last 40 of them, for a failure message. */
    public String tail() {
        List<String> lines = output();
        return "its last lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The status of {@code GET path}, or -1 when the service does not answer. */
    public int status(String path) {
        HttpResponse<Void> response = get(path, HttpResponse.BodyHandlers.discarding());
        return response == null ? -1 : response.statusCode();
    }

    /** The body of {@code GET path}, or "" when the service does not answer. */
    public String get(String path) {
        HttpResponse<String> response = get(path, HttpResponse.BodyHandlers.ofString());
        return response == null ? "" : response.body();
    }

    private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), body);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                keep(line);
            }
        } catch (IOException e) {
            keep("(output ended: " + e + ")");
        }
    }

    private void keep(String line) {
        synchronized (output) {
            output.addLast(line);
            if (output.size() > OUTPUT_LINES) {
                output.removeFirst();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
