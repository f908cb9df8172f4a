package io.taskcenter.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.logging.LogEntry;

import com.rabbitmq.client.AMQP;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.taskcenter.support.Broker;
import io.taskcenter.support.Chromium;
import io.taskcenter.support.TcpProxy;

/**
 * The dashboard and the worker page in a real browser against the packaged service and the real broker: four
 * browser workers with the seed's mapping, tasks from the dashboard's form and from RabbitMQ, a bad form input,
 * and a dead letter replayed from the page. Screenshots at two widths go to {@code target/screenshots/}; any
 * error in the console fails the test.
 */
@QuarkusIntegrationTest
class DashboardBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The only console error the pages cause on purpose: the browser's own line for the form's 400 answer. */
    private static final String EXPECTED_400 = "/api/tasks - Failed to load resource: the server responded with a status of 400";

    @TestHTTPResource("/")
    URI root;

    private Broker broker;
    private Chromium chromium;
    private WebDriver browser;
    private final List<LogEntry> console = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        broker = Broker.forQueues("test.tasks");
        broker.purge();
        chromium = Chromium.start();
        browser = chromium.driver();
    }

    @AfterEach
    void close() throws Exception {
        try {
            // The page as the test left it: what to look at first when it failed.
            chromium.screenshot("last-state");
            chromium.close();
        } finally {
            broker.close();
        }
    }

    @Test
    void fourBrowserWorkersTakeFortyTasksFromTheFormAndRabbitMqAndADeadLetterIsReplayedFromThePage() throws Exception {
        long completedBefore = given().baseUri(root.toString()).when().get("/api/stats").then().extract()
                .jsonPath().getLong("completed");

        // A type-2 task while no worker is online: requeued once, then dead-lettered (worker-wait is 1 s here).
        broker.publish("{\"TaskName\":\"Waited\",\"TaskType\":2}",
                new AMQP.BasicProperties.Builder().messageId("dead-then-replayed").deliveryMode(2).build());

        browser.get(root.resolve("/").toString());
        String dashboard = browser.getWindowHandle();
        awaitText("#live", "live");
        await().atMost(TIMEOUT).until(() -> !browser.findElements(
                By.cssSelector("#dead-letters tr[data-dead-letter='dead-then-replayed']")).isEmpty());

        browser.switchTo().newWindow(WindowType.TAB);
        String workersPage = browser.getWindowHandle();
        browser.get(root.resolve("/workers.html").toString());
        field("delay").clear();
        field("delay").sendKeys("150");
        browser.findElement(By.id("seed-four")).click();
        await().atMost(TIMEOUT).until(() -> browser.findElements(By.cssSelector(".worker[data-state='online']")).size() == 4);
        chromium.resize(1280, 1000);
        chromium.screenshot("workers-page-1280");

        browser.switchTo().window(dashboard);
        await().atMost(TIMEOUT).until(() -> browser.findElements(By.cssSelector("#workers tr[data-worker]")).size() == 4);
        publishFromTheForm("FromPageOne", "1", 10);
        publishFromTheForm("FromPageTwo", "2", 10);
        Set<String> fromRabbitMq = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String id = "amqp-" + i;
            fromRabbitMq.add(id);
            broker.publish("{\"TaskName\":\"FromRabbitMQ\",\"TaskType\":" + (1 + i % 2) + "}",
                    new AMQP.BasicProperties.Builder().messageId(id).deliveryMode(2).build());
        }

        // A bad input gets the service's 400 message on the page.
        WebElement name = browser.findElement(By.cssSelector("#publish [name=name]"));
        name.clear();
        browser.findElement(By.cssSelector("#publish button[type=submit]")).click();
        awaitText("#publish-message", "400: TaskName must not be blank");

        browser.findElement(By.id("replay-one")).click();
        awaitText("#dead-message", "Replayed 1; 0 left.");

        await().atMost(TIMEOUT).until(() -> total("completed") == completedBefore + 41);
        assertThat(browser.findElements(By.cssSelector("#events tr.kind-completed"))).isNotEmpty();
        chromium.screenshot("dashboard-1280");
        chromium.resize(390, 844);
        chromium.screenshot("dashboard-390");

        browser.switchTo().window(workersPage);
        await().atMost(TIMEOUT).until(() -> finishedOn("1", "3").size() + finishedOn("2", "4").size() == 41);
        List<WebElement> typeOne = finishedOn("1", "3");
        List<WebElement> typeTwo = finishedOn("2", "4");
        assertThat(typeOne).extracting(item -> item.getAttribute("data-type")).containsOnly("1").hasSize(20);
        assertThat(typeTwo).extracting(item -> item.getAttribute("data-type")).containsOnly("2").hasSize(21);
        Set<String> finishedIds = new HashSet<>();
        typeOne.forEach(item -> finishedIds.add(item.getAttribute("data-task")));
        typeTwo.forEach(item -> finishedIds.add(item.getAttribute("data-task")));
        assertThat(finishedIds).hasSize(41).containsAll(fromRabbitMq).contains("dead-then-replayed");
        assertThat(browser.findElements(By.cssSelector(".worker li[data-outcome]")))
                .extracting(item -> item.getAttribute("data-outcome")).containsOnly("done");
        chromium.screenshot("workers-page-390");
        chromium.resize(1280, 1000);
        chromium.screenshot("workers-page-done-1280");

        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
        console.addAll(chromium.console());
        assertThat(console).as("console errors").filteredOn(entry -> entry.getLevel().intValue() >= 1000)
                .filteredOn(entry -> !entry.getMessage().contains(EXPECTED_400)).isEmpty();
        assertThat(console).as("the form's 400 shows in the console as the browser's own line")
                .anyMatch(entry -> entry.getMessage().contains(EXPECTED_400));
    }

    @Test
    void thePageSaysWhenItLosesTheServiceAndReconnectsWhenItIsBack() throws Exception {
        try (TcpProxy network = new TcpProxy("127.0.0.1", root.getPort()).start()) {
            browser.get("http://127.0.0.1:" + network.port() + "/");
            awaitText("#live", "live");

            network.cut();
            awaitText("#live", "disconnected, reconnecting in");
            // A page that lost its service keeps what it showed; the counts are still there.
            assertThat(chromium.text("[data-total='completed'] .value")).isNotBlank();

            network.restore();
            awaitText("#live", "live");
        }
    }

    private void publishFromTheForm(String name, String type, int count) {
        setField("#publish [name=name]", name);
        setField("#publish [name=type]", type);
        setField("#publish [name=count]", String.valueOf(count));
        browser.findElement(By.cssSelector("#publish button[type=submit]")).click();
        awaitText("#publish-message", "Queued " + count + " tasks");
    }

    private void setField(String css, String value) {
        WebElement input = browser.findElement(By.cssSelector(css));
        input.clear();
        input.sendKeys(value);
    }

    private WebElement field(String name) {
        return browser.findElement(By.cssSelector("#connect [name=" + name + "]"));
    }

    private long total(String key) {
        return Long.parseLong(chromium.text("[data-total='" + key + "'] .value").replaceAll("[^0-9]", ""));
    }


    private List<WebElement> finishedOn(String... workerIds) {
        List<WebElement> items = new ArrayList<>();
        for (String id : workerIds) {
            items.addAll(browser.findElements(By.cssSelector(".worker[data-worker='" + id + "'] [data-role=finished] li")));
        }
        return items;
    }

    private void awaitText(String css, String expected) {
        await().atMost(TIMEOUT).until(() -> chromium.text(css).contains(expected));
    }
}
