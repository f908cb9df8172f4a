package io.taskcenter.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.http.WebSocketHandshakeException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.RawHandshake;
import io.taskcenter.support.Sockets;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.TestWorker.Close;
import io.taskcenter.support.Tokens;
import io.taskcenter.support.V1Worker;

/**
 * With authentication on, a worker's identity, task types and capacity come from its token, and every client
 * that is not entitled is turned away without ever receiving a task, while entitled workers keep working.
 */
@QuarkusTest
@TestProfile(WorkerSecurityTest.Secured.class)
class WorkerSecurityTest extends QuarkusBrokerTest {

    @Inject
    ConnectionLimits limits;

    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "taskcenter.auth.enabled", "true",
                    "mp.jwt.verify.issuer", Tokens.ISSUER,
                    "taskcenter.limits.max-connections", "6",
                    "taskcenter.limits.max-connections-per-worker", "2",
                    "taskcenter.limits.connections-per-second-per-address", "40",
                    "taskcenter.limits.max-bad-frames", "3",
                    "taskcenter.limits.allowed-origins", "https://ops.example.com",
                    // The limit tests hold sockets open without a hello; on a slow machine 1 s closes them first.
                    "taskcenter.hello-timeout", "60s");
        }
    }

    @Test
    void anUpgradeWithoutAValidTokenIsRefusedWith401BeforeAnyWebSocketExists() throws Exception {
        assertThat(handshakeStatus(Map.of())).isEqualTo(401);
        assertThat(handshakeStatus(Tokens.bearer("not.a.jwt"))).isEqualTo(401);
        assertThat(handshakeStatus(Tokens.bearer(Tokens.expiredWorker("1")))).isEqualTo(401);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.issuer(Tokens.ISSUER).subject("1").claim("taskTypes", List.of(1))
                .sign(generator.generateKeyPair().getPrivate());
        assertThat(handshakeStatus(Tokens.bearer(forged))).isEqualTo(401);
        assertThat(registry.online()).isEmpty();
    }

    @Test
    void theWorkerIdComesFromTheToken() throws Exception {
        TestWorker seed = fleet.openAs(Tokens.worker("3", 1, 1)).send("1");
        assertThat(seed.awaitClose()).isEqualTo(new Close(1008, "The token is for worker '3', not '1'"));
        V1Worker v1 = fleet.openV1As(Tokens.worker("3", 1, 1)).send(V1Worker.hello("1", 1, 1));
        assertThat(v1.awaitClose()).isEqualTo(new Close(1008, "The token is for worker '3', not '1'"));

        V1Worker entitled = fleet.connectV1As(Tokens.worker("1", 1, 1), "1", 1, 1);
        broker.publish(task("for-1", 1));
        entitled.done(entitled.nextTask());
    }

    @Test
    void typesAndCapacityBeyondTheTokenAreRefused() {
        assertThat(fleet.openV1As(Tokens.worker("2", 4, 2)).send(V1Worker.hello("2", 1, 2, 7)).awaitClose())
                .isEqualTo(new Close(1008, "The token does not allow task types [7]"));
        assertThat(fleet.openV1As(Tokens.worker("2", 2, 2)).send(V1Worker.hello("2", 3, 2)).awaitClose())
                .isEqualTo(new Close(1008, "Capacity 3 is more than the token allows (2)"));
    }

    @Test
    void aSeedWorkerTakesOnlyTheTypesBothConfigurationAndTokenAllow() throws Exception {
        TestWorker seed = fleet.openAs(Tokens.worker("2", 1, 5)).send("2");
        await().atMost(TestWorker.TIMEOUT).until(() -> registry.find("2").isPresent());

        broker.publish(task("not-granted", 6));
        broker.publish(task("granted", 5));

        assertThat(seed.poll(TestWorker.TIMEOUT)).isEqualTo("Special-granted");
        assertThat(seed.poll(Duration.ofMillis(500))).isNull();
    }

    @Test
    void onlyTheHolderOfATokenForAnIdCanReplaceIt() throws Exception {
        V1Worker owner = fleet.connectV1As(Tokens.worker("1", 2, 1), "1", 2, 1);

        V1Worker intruder = fleet.openV1As(Tokens.worker("3", 2, 1)).send(V1Worker.hello("1", 2, 1));
        assertThat(intruder.awaitClose().code()).isEqualTo(1008);

        broker.publish(task("still-mine", 1));
        JsonNode task = owner.nextTask();
        assertThat(task.get("taskName").asText()).isEqualTo("still-mine");
        owner.done(task);
    }

    @Test
    void connectionLimitsAreAnsweredWithJsonBeforeTheUpgrade() {
        fleet.openAs(Tokens.worker("1", 1, 1));
        fleet.openAs(Tokens.worker("1", 1, 1));
        await().atMost(TestWorker.TIMEOUT).until(() -> limits.open() == 2);

        RawHandshake.Answer perWorker = RawHandshake.upgrade(push, Tokens.bearer(Tokens.worker("1", 1, 1)));
        assertThat(perWorker.status()).isEqualTo(429);
        assertThat(perWorker.body()).contains("\"message\":\"worker '1' has 2 connections open already\"");

        for (String id : List.of("2", "2", "3", "3")) {
            fleet.openAs(Tokens.worker(id, 1, 1));
        }
        await().atMost(TestWorker.TIMEOUT).until(() -> limits.open() == 6);
        RawHandshake.Answer total = RawHandshake.upgrade(push, Tokens.bearer(Tokens.worker("4", 1, 2)));
        assertThat(total.status()).isEqualTo(503);
        assertThat(total.body()).contains("6 worker connections open already");
    }

    @Test
    void aBrowserFromAnOriginNotAllowedIsRefused() {
        Map<String, String> headers = new HashMap<>(Tokens.bearer(Tokens.worker("1", 1, 1)));
        headers.put("Origin", "https://evil.example.net");

        RawHandshake.Answer answer = RawHandshake.upgrade(push, headers);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("origin https://evil.example.net may not open worker connections");
    }

    @Test
    void aConnectionSendingTooManyBadFramesIsClosed() throws Exception {
        V1Worker worker = fleet.connectV1As(Tokens.worker("1", 1, 1), "1", 1, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(worker.send("{\"type\":\"gossip\"}").next(TestWorker.TIMEOUT).get("type").asText())
                    .isEqualTo("error");
        }

        worker.send("{\"type\":\"gossip\"}");

        assertThat(worker.awaitClose()).isEqualTo(new Close(1008, "Too many frames the service could not act on (3)"));
    }

    @Test
    void stateChangingApiCallsNeedTheOperatorRole() throws Exception {
        String task = "{\"TaskName\":\"api\",\"TaskType\":1}";
        given().contentType(ContentType.JSON).body(task).when().post("/api/tasks")
                .then().statusCode(401).contentType(ContentType.JSON).body("status", equalTo(401));
        given().auth().oauth2(Tokens.operator("viewer")).contentType(ContentType.JSON).body(task)
                .when().post("/api/tasks")
                .then().statusCode(403).contentType(ContentType.JSON).body("status", equalTo(403));
        given().auth().oauth2(Tokens.operator("viewer")).when().post("/api/dead-letters/replay")
                .then().statusCode(403);
        given().when().get("/api/workers").then().statusCode(401);
        given().auth().oauth2(Tokens.operator("viewer")).when().get("/api/workers").then().statusCode(200);

        given().auth().oauth2(Tokens.operator("ops", "taskcenter-admin")).contentType(ContentType.JSON).body(task)
                .when().post("/api/tasks")
                .then().statusCode(202);
        V1Worker worker = fleet.connectV1As(Tokens.worker("1", 1, 1), "1", 1, 1);
        JsonNode published = worker.nextTask();
        assertThat(published.get("taskName").asText()).isEqualTo("api");
        worker.done(published);
    }

    @Test
    void entitledWorkersKeepWorkingThroughAFloodOfBadConnections() throws Exception {
        V1Worker worker = fleet.connectV1As(Tokens.worker("1", 4, 1), "1", 4, 1);
        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        ExecutorService attacker = Executors.newSingleThreadExecutor();
        List<Map<String, String>> attempts = List.of(Map.of(), Tokens.bearer("forged.token.value"),
                Tokens.bearer(Tokens.expiredWorker("1")));
        Future<?> flood = attacker.submit(() -> {
            for (int i = 0; attacking.get() && i < 2_000; i++) {
                if (RawHandshake.upgrade(push, attempts.get(i % attempts.size())).status() != 101) {
                    refused.incrementAndGet();
                }
            }
        });

        int tasks = 100;
        for (int i = 0; i < tasks; i++) {
            broker.publish(task("work-" + i, 1));
        }
        List<String> done = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            JsonNode task = worker.nextTask();
            done.add(task.get("taskName").asText());
            worker.done(task);
        }
        attacking.set(false);
        flood.get();
        attacker.shutdown();

        assertThat(done).hasSize(tasks).doesNotHaveDuplicates();
        assertThat(refused.get()).isPositive();
        assertThat(registry.online()).hasSize(1);
    }

    private int handshakeStatus(Map<String, String> headers) {
        try (TestWorker worker = TestWorker.open(Sockets.ws(push), headers)) {
            return 101;
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }
}
