package io.taskcenter.bench.connector;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        /** Written by the connector's one event-loop thread only; read by the main thread. */
        private volatile long count;
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

        /**
         * Waits for all of them as the plain baseline does, at most 120 s or 1 s per 200 expected: if some never
         * come, DONE says how many did instead of the bench waiting for ever.
         */
        void await() throws InterruptedException {
            try {
                all.get(Math.max(120, expected / 200), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // DONE reports the count so far.
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        long count() {
            return count;
        }

        long last() {
            return last;
        }
    }
}
