package io.taskcenter.bench.connector;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The connector alone: each message is acked at once and counted. Like the service's task consumer, the method
 * returns a completed stage and lets the ack complete on its own, so the next message is not held up by it.
 */
@ApplicationScoped
public class Arrivals {

    private static final CompletionStage<Void> NEXT = CompletableFuture.completedFuture(null);

    private volatile Run current;

    @Incoming("tasks")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        message.ack();
        Run run = current;
        if (run != null) {
            run.arrived();
        }
        return NEXT;
    }

    Run expect(long expected) {
        Run run = new Run(expected);
        current = run;
        return run;
    }

    /** One measured run: how many arrived, when the last did ({@code System.nanoTime()}). */
    static final class Run {
        private final long expected;
        private final CompletableFuture<Void> all = new CompletableFuture<>();
        private long count;
        private volatile long last;

        Run(long expected) {
            this.expected = expected;
        }

        /** Called on the connector's one event-loop thread only. */
        void arrived() {
            last = System.nanoTime();
            if (++count == expected) {
                all.complete(null);
            }
        }

        void await() {
            all.join();
        }

        long count() {
            return count;
        }

        long last() {
            return last;
        }
    }
}
