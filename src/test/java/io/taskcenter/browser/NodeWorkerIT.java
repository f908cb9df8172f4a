package io.taskcenter.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.taskcenter.support.Broker;
import io.taskcenter.support.Sockets;

/**
 * The JavaScript worker module in Node.js with the {@code ws} package ({@code clients/js/example-worker.mjs}),
 * against the packaged service and the real broker.
 */
@QuarkusIntegrationTest
class NodeWorkerIT {

    private static final Path CLIENT = Path.of("clients", "js");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TestHTTPResource("/push")
    URI push;

    private Broker broker;
    private Process node;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> everyLine = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void installWs() throws Exception {
        if (!Files.isDirectory(CLIENT.resolve("node_modules").resolve("ws"))) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(CLIENT.toFile())
                    .inheritIO().start();
            assertThat(install.waitFor(3, TimeUnit.MINUTES)).as("npm ci within 3 minutes").isTrue();
            assertThat(install.exitValue()).as("npm ci in clients/js").isZero();
        }
    }

    @BeforeEach
    void connect() {
        broker = Broker.forQueues("test.tasks");
        broker.purge();
    }

    @AfterEach
    void close() throws Exception {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
        }
        broker.close();
    }

    @Test
    void theModulesRulesHoldAgainstAFakeSocket() throws Exception {
        // clients/js/test/worker.test.mjs: stale results, stop and drain, token fetches, refusals, subprotocols.
        Process test = new ProcessBuilder("node", "--test", CLIENT.resolve("test").toString()).inheritIO().start();
        assertThat(test.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("node --test within " + TIMEOUT).isTrue();
        assertThat(test.exitValue()).as("node --test clients/js/test").isZero();
    }

    @Test
    void aNodeWorkerTakesItsTasksReportsThemDoneAndStopsAfterDraining() throws Exception {
        start(Map.of("WORKER_ID", "2", "TASK_TYPES", "2", "CAPACITY", "2", "STOP_AFTER", "5"));
        awaitLine("state online");
        for (int i = 0; i < 5; i++) {
            broker.publish("{\"TaskName\":\"FromNode\",\"TaskType\":2}",
                    new AMQP.BasicProperties.Builder().messageId("node-" + i).deliveryMode(2).build());
        }
        for (int i = 0; i < 5; i++) {
            assertThat(awaitLine("done ")).matches("done node-[0-4] 2");
        }
        awaitLine("closed 1000");
        assertThat(node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isZero();
        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
    }

    @Test
    void aRefusedWorkerSaysWhyAndDoesNotKnockAgain() throws Exception {
        start(Map.of("WORKER_ID", "9", "TASK_TYPES", "1"));

        assertThat(awaitLine("closed ")).isEqualTo("closed 1008 Unknown worker id '9': no task types are configured for it");
        assertThat(node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exits instead of reconnecting").isTrue();
        assertThat(node.exitValue()).isEqualTo(2);
        assertThat(everyLine).noneMatch(line -> line.startsWith("state reconnecting"));
    }

    private void start(Map<String, String> settings) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", CLIENT.resolve("example-worker.mjs").toString())
                .redirectErrorStream(true);
        builder.environment().putAll(settings);
        builder.environment().put("TASKCENTER_URL", Sockets.ws(push).toString());
        node = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    everyLine.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, "node-worker-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next line of the worker's output that starts with {@code prefix}; other lines are skipped. */
    private String awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> skipped = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line != null) {
                skipped.add(line);
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' within " + TIMEOUT + "; saw " + skipped);
    }
}
