package io.taskcenter.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.taskcenter.support.ServiceProcess;

/**
 * Keeps the benchmark harness from rotting: every scenario of {@link Bench} at a few hundred tasks, against the
 * packaged jar (so it runs with the integration tests, after {@code package}) and the real broker, in about
 * 20 seconds. It uses queues and exchanges of its own ({@code benchsmoke.*}, deleted afterwards) and a free port,
 * so it cannot disturb other tests. It checks that every task arrived and was counted, never how fast.
 */
class BenchSmokeIT {

    @Test
    void everyScenarioRunsAndCountsEveryTask() throws Exception {
        assumeTrue(Files.exists(ServiceProcess.JAR), "needs the packaged jar: run with ./mvnw verify");
        Properties p = new Properties();
        p.setProperty("bench.smoke", "true");
        p.setProperty("bench.prefix", "benchsmoke");
        p.setProperty("bench.out", "target/bench-smoke");
        p.setProperty("bench.rabbit.host", System.getenv().getOrDefault("RABBITMQ_HOST", "127.0.0.1"));
        p.setProperty("bench.rabbit.port", System.getenv().getOrDefault("RABBITMQ_PORT", "5672"));
        System.getenv().forEach((k, v) -> {
            if (k.equals("RABBITMQ_USERNAME")) {
                p.setProperty("bench.rabbit.user", v);
            } else if (k.equals("RABBITMQ_PASSWORD")) {
                p.setProperty("bench.rabbit.password", v);
            }
        });

        Bench.Result result = Bench.run(Bench.Sizes.of(p));

        assertThat(result.ok()).as("every scenario completed").isTrue();
        var m = result.median();
        for (String k : new String[] {"throughput.seed.2", "throughput.v1.2"}) {
            assertThat(m.get(k + ".missing")).as(k + ": tasks never received").isZero();
            assertThat(m.get(k + ".unacked")).as(k + ": tasks never acked").isZero();
            assertThat(m.get(k + ".service")).isPositive();
        }
        assertThat(m.get("throughput.baseline.2")).isPositive();
        assertThat(m.get("throughput.connector")).as("the connector-only baseline took every message").isPositive();
        assertThat(m.get("throughput.seed.2.cpuRatioConnector")).isPositive();
        assertThat(m.keySet()).as("the service's CPU by thread kind").anyMatch(
                k -> k.startsWith("throughput.v1.2.cpuMsPer1000.thread.vert.x-eventloo"));
        assertThat(m.get("latency.v1.200.p99")).isPositive();
        assertThat(m.get("latency.seed.200.p99")).isPositive();
        assertThat(m.get("scale.online")).isEqualTo(50.0);
        assertThat(m.get("scale.probe.p50")).isPositive();
        assertThat(m.get("churn.lost")).as("tasks lost under churn").isZero();
        assertThat(m.get("replicas.v1.2.missing")).as("tasks never received across three replicas").isZero();
        assertThat(m.get("replicas.v1.2.service")).isPositive();
        assertThat(result.json()).exists();
        assertThat(Path.of("target/bench-smoke/bench.svg")).exists();
    }
}
