package io.taskcenter.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import io.taskcenter.support.Chromium;
import io.taskcenter.support.ServiceProcess;
import io.taskcenter.support.SigningKey;

/**
 * The pages with authentication on, in a real browser against the packaged service: the dashboard asks for a
 * token, keeps it in session storage only, looks with any valid token and publishes only with the admin role;
 * the worker page connects a worker with its own token.
 */
class DashboardAuthBrowserIT {

    private static final String QUEUE = "it.dashboard-auth.tasks";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static SigningKey key;
    private static ServiceProcess service;

    private Chromium chromium;
    private WebDriver browser;

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

    @BeforeEach
    void open() throws Exception {
        chromium = Chromium.start();
        browser = chromium.driver();
    }

    @AfterEach
    void close(TestInfo test) throws Exception {
        chromium.screenshot("auth-" + test.getTestMethod().orElseThrow().getName());
        chromium.close();
    }

    @Test
    void theDashboardAsksForATokenLooksWithAnyAndPublishesOnlyWithTheAdminRole() {
        browser.get(url("/"));
        WebElement dialog = browser.findElement(By.id("token-dialog"));
        await().atMost(TIMEOUT).until(dialog::isDisplayed);
        assertThat(chromium.text("#token-dialog .message")).isEqualTo("A valid token is needed to look.");

        useToken(key.operator("viewer"));
        awaitText("#live", "live");
        publish();
        awaitText("#publish-message", "403: this needs a token with the admin role");
        assertThat(script("return sessionStorage.getItem('taskcenter.token') !== null")).isEqualTo(true);
        assertThat(script("return localStorage.length")).isEqualTo(0L);

        // A new token starts the page again, so its stream carries the new token too.
        WebElement before = browser.findElement(By.id("live"));
        browser.findElement(By.id("token-button")).click();
        useToken(key.operator("operator", "taskcenter-admin"));
        await().atMost(TIMEOUT).until(() -> ExpectedConditions.stalenessOf(before).apply(browser));
        awaitText("#live", "live");
        publish();
        awaitText("#publish-message", "Queued task ");
    }

    @Test
    void theWorkerPageConnectsV1AndSeedWorkersWithTheirTokens() {
        browser.get(url("/workers.html"));
        connectWorker("1", "v1", key.worker("1", 4, 1));
        connectWorker("2", "seed", key.worker("2", 1, 2));

        await().atMost(TIMEOUT).until(() -> browser.findElements(By.cssSelector(".worker[data-state='online']")).size() == 2);
        assertThat(chromium.text(".worker[data-worker='1'] [data-role=status]")).startsWith("welcome: types [1]");
        await().atMost(TIMEOUT).until(() -> given().baseUri(url("")).auth().oauth2(key.operator("viewer"))
                .when().get("/api/workers").then().extract().jsonPath().getList("protocol"),
                protocols -> protocols.size() == 2 && protocols.containsAll(List.of("v1", "seed")));
    }

    @Test
    void aWorkerWithoutATokenIsRefusedAtTheUpgradeAndTheCardSaysSo() {
        browser.get(url("/workers.html"));
        connectWorker("1", "v1", "");

        await().atMost(TIMEOUT).until(() -> chromium.text(".worker [data-role=status]").contains("closed 1006"));
        assertThat(browser.findElements(By.cssSelector(".worker[data-state='online']"))).isEmpty();
    }

    private void connectWorker(String id, String protocol, String token) {
        setField("#connect [name=workerId]", id);
        new Select(browser.findElement(By.cssSelector("#connect [name=protocol]"))).selectByValue(protocol);
        setField("#connect [name=taskTypes]", id);
        setField("#connect [name=token]", token);
        browser.findElement(By.cssSelector("#connect button[type=submit]")).click();
    }

    private void useToken(String token) {
        WebElement field = browser.findElement(By.cssSelector("#token-dialog [name=token]"));
        await().atMost(TIMEOUT).until(field::isDisplayed);
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#token-dialog button[value=save]")).click();
    }

    private void publish() {
        setField("#publish [name=name]", "Secured");
        browser.findElement(By.cssSelector("#publish button[type=submit]")).click();
    }

    private void setField(String css, String value) {
        WebElement input = browser.findElement(By.cssSelector(css));
        input.clear();
        input.sendKeys(value);
    }

    private String url(String path) {
        return "http://localhost:" + service.port() + path;
    }

    private Object script(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }


    private void awaitText(String css, String expected) {
        await().atMost(TIMEOUT).until(() -> chromium.text(css).contains(expected));
    }
}
