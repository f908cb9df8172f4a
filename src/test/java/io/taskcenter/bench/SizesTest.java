package io.taskcenter.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
}
