package io.taskcenter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.taskcenter.support.ServiceProcess;

/**
 * A setting out of range stops the packaged service at startup with a message naming the key, instead of
 * running with it (a seed capacity of 0 used to divide by zero and starve seed workers without a word).
 */
class ConfigValidationIT {

    @Test
    void refusesToStartWithASettingOutOfRangeAndNamesTheKey() throws Exception {
        try (ServiceProcess service = ServiceProcess.launch(Map.of(
                "quarkus.profile", "test",
                "taskcenter.dispatch.seed-capacity", "0",
                "taskcenter.dispatch.task-timeout", "0s"))) {
            assertThat(service.awaitExit(Duration.ofSeconds(60))).as("the service exits").isTrue();
            assertThat(service.exitCode()).isNotZero();
            assertThat(String.join("\n", service.output()))
                    .contains("taskcenter.dispatch.seed-capacity")
                    .contains("taskcenter.dispatch.task-timeout");
        }
    }
}
