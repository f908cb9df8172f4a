package io.taskcenter.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.taskcenter.broker.BrokerUnavailableException;
import io.taskcenter.broker.QueueDepths;

class BacklogTest {

    private final List<Runnable> queued = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void aViewNeverWaitsForTheBrokerItGetsTheLatestDepthsAndTheNextReadStartsInTheBackground() {
        Backlog backlog = new Backlog(() -> List.of(new QueueDepths.Depth("tasks", "tasks", reads.incrementAndGet(), 1)),
                queued::add, Duration.ofHours(1));

        assertThat(backlog.latest().queues()).as("nothing read yet").isEmpty();
        assertThat(backlog.latest().error()).isNull();
        assertThat(queued).as("one read under way, not one per view").hasSize(1);

        queued.remove(0).run();
        assertThat(backlog.latest().queues()).extracting(QueueDepths.Depth::ready).containsExactly(1L);
        assertThat(queued).as("the depths are less than a tick old").isEmpty();
    }

    @Test
    void aBrokerThatCannotBeAskedShowsItsErrorInTheView() {
        Backlog backlog = new Backlog(() -> {
            throw new BrokerUnavailableException("RabbitMQ is unavailable: Connection refused", null);
        }, Runnable::run, Duration.ZERO);

        backlog.latest();

        assertThat(backlog.latest().error()).isEqualTo("RabbitMQ is unavailable: Connection refused");
        assertThat(backlog.latest().queues()).isEmpty();
    }
}
