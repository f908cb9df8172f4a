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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) running in a process of its own, as it runs
 * in production, so a test can send it a real SIGTERM.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final int port;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
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
        await().atMost(Duration.ofSeconds(60)).until(() -> status("/q/health/ready") == 200);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Starts the jar with {@code settings} as system properties, without waiting for anything. */
    public static ServiceProcess launch(Map<String, String> settings) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run this test with ./mvnw verify");
        }
        int port = Sockets.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toString()));
        try {
            return new ServiceProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                channel + "dead-letter-exchange", deadLetterExchange(queue),
                channel + "dead-letter-routing-key", queue,
                channel + "dead-letter-queue-name", queue + ".dead");
    }

    /** Deletes the exchanges and queues {@link #onQueues} named after {@code queue}, once a test is done with them. */
    public static void deleteQueues(String queue) throws IOException, TimeoutException {
        try (Broker broker = Broker.forQueues(queue)) {
            broker.delete(deadLetterExchange(queue));
        }
    }

    private static String deadLetterExchange(String queue) {
        return queue + ".dlx";
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

    /** Waits until the service has logged a line containing {@code text}. */
    public void awaitLog(String text, Duration timeout) {
        try {
            await().atMost(timeout).until(() -> output.stream().anyMatch(line -> line.contains(text)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The service (alive: " + process.isAlive() + ") did not log '" + text + "' within " + timeout
                    + "; its last lines:\n" + String.join("\n", output.subList(Math.max(0, output.size() - 40),
                            output.size())), e);
        }
    }

    public List<String> output() {
        return output;
    }

    private int status(String path) {
        try {
            return HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("(output ended: " + e + ")");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
