package io.taskcenter.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

class MergeTest {

    @TempDir
    Path dir;

    @Test
    void theMediansOfRunsFromSeparateInvocationsAreThoseOfOneInvocation() throws Exception {
        Path first = bench("first", "{\"throughput.seed.4\": 100, \"throughput.baseline.4\": 200}",
                "{\"throughput.seed.4\": 130, \"throughput.baseline.4\": 260, \"churn.ratio\": null}");
        Path second = bench("second", "{\"throughput.seed.4\": 90, \"throughput.baseline.4\": 210}");

        Path written = Merge.merge(sizes(), List.of(first, second));

        JsonObject merged = new JsonObject(Files.readString(written));
        assertThat(merged.getJsonArray("runs")).hasSize(3);
        assertThat(merged.getJsonObject("median").getDouble("throughput.seed.4")).isEqualTo(100.0);
        assertThat(merged.getJsonObject("median").getDouble("throughput.baseline.4")).isEqualTo(210.0);
        assertThat(merged.getJsonObject("median").containsKey("churn.ratio")).as("no figure from a null").isFalse();
        assertThat(merged.getJsonObject("environment").getString("date")).isEqualTo("first");
        assertThat(merged.getJsonObject("environment").getJsonArray("mergedFrom")).hasSize(2);
        assertThat(dir.resolve("out/bench.txt")).content().contains("median of 3 runs");
        assertThat(dir.resolve("out/bench.svg")).exists();
    }

    @Test
    void aFileWithoutRunsIsRefused() throws Exception {
        Path empty = bench("empty");

        assertThatThrownBy(() -> Merge.merge(sizes(), List.of(empty)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no runs");
    }

    private Path bench(String date, String... runs) throws Exception {
        Path file = dir.resolve(date + ".json");
        Files.writeString(file, "{\"environment\": {\"date\": \"" + date + "\"}, \"runs\": [" + String.join(",", runs)
                + "]}");
        return file;
    }

    private Bench.Sizes sizes() {
        Properties settings = new Properties();
        settings.setProperty("bench.out", dir.resolve("out").toString());
        return Bench.Sizes.of(settings);
    }
}
