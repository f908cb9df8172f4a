package io.taskcenter.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The poms pass every bench setting they forward, empty when not given on the command line. */
class SizesTest {

    @Test
    void anEmptySettingMeansItsDefault() {
        Properties empty = new Properties();
        for (String key : new String[] { "bench.quick", "bench.repeat", "bench.jfr", "bench.scenarios" }) {
            empty.setProperty(key, "");
        }

        Bench.Sizes sizes = Bench.Sizes.of(empty);

        assertThat(sizes.quick).isFalse();
        assertThat(sizes.repeat).isEqualTo(1);
        assertThat(sizes.jfr).isFalse();
        assertThat(sizes.scenarios).containsExactly("throughput", "latency", "churn", "replicas", "scale");
        assertThat(sizes.tasks).isEqualTo(200_000);
    }

    @Test
    void aGivenSettingWins() {
        Properties given = new Properties();
        given.setProperty("bench.quick", "true");
        given.setProperty("bench.repeat", " 3 ");
        given.setProperty("bench.scenarios", "throughput,latency");

        Bench.Sizes sizes = Bench.Sizes.of(given);

        assertThat(sizes.quick).isTrue();
        assertThat(sizes.repeat).isEqualTo(3);
        assertThat(sizes.scenarios).containsExactly("throughput", "latency");
        assertThat(sizes.tasks).as("quick's size").isEqualTo(20_000);
    }

    @Test
    void benchExtraCarriesSeveralSettings() {
        Properties given = new Properties();
        given.setProperty("bench.tasks", "5");
        given.setProperty("bench.extra",
                " -Dbench.tasks=1000 -Dbench.workers=4,8 -Dbench.service.jvm=-Xmx512m -XX:+UseSerialGC -Dx=y ");

        Bench.Sizes sizes = Bench.Sizes.of(Bench.Sizes.withExtra(given));

        assertThat(sizes.tasks).as("extra wins").isEqualTo(1000);
        assertThat(sizes.workerCounts).containsExactly(4, 8);
        assertThat(sizes.serviceJvm).as("words that start no bench setting belong to the one before")
                .containsExactly("-Xmx512m", "-XX:+UseSerialGC", "-Dx=y");
    }

    @Test
    void benchExtraEmptyChangesNothing() {
        Properties given = new Properties();
        given.setProperty("bench.extra", "");

        assertThat(Bench.Sizes.of(Bench.Sizes.withExtra(given)).tasks).isEqualTo(200_000);
    }

    @Test
    void benchExtraMustStartWithABenchSetting() {
        Properties given = new Properties();
        given.setProperty("bench.extra", "bench.tasks=1000");

        assertThatIllegalArgumentException().isThrownBy(() -> Bench.Sizes.withExtra(given))
                .withMessageContaining("-Dbench.<setting>=<value>").withMessageContaining("\"bench.tasks=1000\"");
    }
}
