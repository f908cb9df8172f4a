package io.taskcenter.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.client.TaskCenterWorker;
import io.taskcenter.support.Broker;
import io.taskcenter.support.Sockets;

/** The dashboard's stream and pages, read as a browser reads them, with a real worker and the real broker. */
@QuarkusTest
class LiveStreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/live")
    URI live;

    @TestHTTPResource("/push")
    URI push;

    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<JsonNode> views = new ArrayBlockingQueue<>(1_000);
    private Broker broker;
    private Thread reader;
    private HttpResponse<java.io.InputStream> stream;

    @BeforeEach
    void open() throws Exception {
        broker = Broker.forQueues("test.tasks");
        broker.purge();
        stream = http.send(HttpRequest.newBuilder(live).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        reader = new Thread(this::read, "live-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @AfterEach
    void close() throws Exception {
        stream.body().close();
        reader.interrupt();
        broker.close();
    }

    @Test
    void sendsAWholeViewAtOnceAndThenEveryTick() throws Exception {
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));

        JsonNode first = views.poll(2, TimeUnit.SECONDS);
        assertThat(first).as("the first view, at once").isNotNull();
        assertThat(first.path("totals").has("completed")).isTrue();
        JsonNode second = views.poll(3, TimeUnit.SECONDS);
        assertThat(second).as("a second view a tick later").isNotNull();
        assertThat(second.path("at").asText()).isGreaterThan(first.path("at").asText());

        // The depths are read in the background, so a view never waits for RabbitMQ; they come within a tick.
        JsonNode withDepths = await(view -> view.path("backlog").path("queues").size() > 0);
        List<String> roles = new ArrayList<>();
        withDepths.path("backlog").path("queues").forEach(queue -> roles.add(queue.path("role").asText()
                + "=" + queue.path("queue").asText()));
        assertThat(roles).containsExactly("tasks=test.tasks", "room=test.tasks.wait.1", "room=test.tasks.wait.other",
                "dead-letters=test.tasks.dead");
        assertThat(withDepths.path("backlog").path("error").isNull()).isTrue();
    }

    @Test
    void showsAWorkerJoiningTaskingMovingAndLatencyAndTheQueueDepthFromRabbitMq() throws Exception {
        TaskCenterWorker worker = TaskCenterWorker.builder(Sockets.ws(push)).workerId("1").taskTypes(1).capacity(2)
                .handler(task -> "ok").build();
        try {
            await(view -> view.path("totals").isObject());
            worker.start();
            await(view -> hasEvent(view, "joined", "1"));
            await(view -> view.path("workers").findValuesAsText("id").contains("1"));

            broker.publish("{\"TaskName\":\"Live\",\"TaskType\":1}",
                    new com.rabbitmq.client.AMQP.BasicProperties.Builder().messageId("live-1").build());
            await(view -> hasTaskEvent(view, "completed", "live-1"));
            JsonNode timed = await(view -> view.path("latency").path("completion").path("count").asLong() >= 1);
            assertThat(timed.path("latency").path("handover").path("p99").isNumber()).isTrue();
        } finally {
            worker.close(Duration.ofSeconds(5));
        }
        await(view -> hasEvent(view, "left", "1"));

        // A task no worker takes waits with the service, or in RabbitMQ; the view counts it either way.
        broker.purge();
        broker.publish("{\"TaskName\":\"Waits\",\"TaskType\":1}");
        await(view -> view.path("waiting").asInt() + queueReady(view, "tasks") >= 1);
        // Nobody takes it: it is requeued once and dead-lettered. Wait for that here, so that it does not land in
        // the next test class's queues.
        await(view -> queueReady(view, "dead-letters") == 1);
        broker.purge();
    }

    @Test
    void theDashboardAndItsChartLibraryAreServedFromTheService() {
        String page = given().when().get("/").then().statusCode(200)
                .body(containsString("<title>Task Center</title>")).extract().asString();
        Matcher assets = Pattern.compile("(?:src|href)=\"(/(?:webjars|dashboard|js)/[^\"]+)\"").matcher(page);
        List<String> found = new ArrayList<>();
        while (assets.find()) {
            found.add(assets.group(1));
        }
        assertThat(found).anyMatch(path -> path.startsWith("/webjars/uplot/"));
        for (String asset : found) {
            given().when().get(asset).then().statusCode(200);
        }
        given().when().get("/workers.html").then().statusCode(200).body(containsString("/dashboard/workers.js"));
        given().when().get("/js/taskcenter-worker.js").then().statusCode(200)
                .body(containsString("export class TaskCenterWorker"));
    }

    private static boolean hasEvent(JsonNode view, String kind, String workerId) {
        for (JsonNode event : view.path("events")) {
            if (event.path("kind").asText().equals(kind) && event.path("workerId").asText().equals(workerId)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasTaskEvent(JsonNode view, String kind, String taskId) {
        for (JsonNode event : view.path("events")) {
            if (event.path("kind").asText().equals(kind) && event.path("taskId").asText().equals(taskId)) {
                return true;
            }
        }
        return false;
    }

    private static long queueReady(JsonNode view, String role) {
        for (JsonNode queue : view.path("backlog").path("queues")) {
            if (queue.path("role").asText().equals(role)) {
                return queue.path("ready").asLong();
            }
        }
        return 0;
    }

    /** The first view from now on that passes {@code test}. */
    private JsonNode await(Predicate<JsonNode> test) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode view = views.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (view != null && test.test(view)) {
                return view;
            }
        }
        throw new AssertionError("no view within " + TIMEOUT + " passed the check");
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    views.offer(JSON.readTree(line.substring(5).strip()));
                }
            }
        } catch (java.io.IOException closed) {
            // the test closed the stream
        }
    }
}
